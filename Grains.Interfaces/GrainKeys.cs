using System.Globalization;

namespace Cluster;

/// <summary>How grain keys are formed, in one place.</summary>
public static class GrainKeys
{
    /// <summary>Key of the single model registry grain.</summary>
    public const long Registry = 0;

    /// <summary>Key of a version's batch worker: <c>model/version</c>.</summary>
    public static string Version(string model, string version) => $"{model}/{version}";

    /// <summary>Key of a replica: <c>model/version/index</c>.</summary>
    public static string Replica(string model, string version, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}/{version}/{index}");

    /// <summary>Splits a <c>model/version[/index]</c> key; model names contain no '/'.</summary>
    public static (string Model, string Version, int Index) Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length is < 2 or > 3) throw new FormatException($"'{key}' is not a model/version[/index] key.");
        var index = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 0;
        return (parts[0], parts[1], index);
    }
}
