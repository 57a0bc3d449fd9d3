namespace Cluster.Cli.Http;

/// <summary>Builds gateway paths from user-given names, escaping each segment so a name cannot change the route.</summary>
internal static class PathSegments
{
    public static string Model(string model) => "/api/models/" + Uri.EscapeDataString(model);

    public static string Version(string model, string version) => Model(model) + "/versions/" + Uri.EscapeDataString(version);

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
