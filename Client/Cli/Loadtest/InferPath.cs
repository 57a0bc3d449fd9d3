using Cluster.Cli.Http;

namespace Cluster.Cli.Loadtest;

/// <summary>The REST inference path, with or without a version.</summary>
internal static class InferPath
{
    public static string For(string model, string? version) =>
        "/v2/models/" + PathSegments.Escape(model) + (version is null ? "" : "/versions/" + PathSegments.Escape(version)) + "/infer";
}
