namespace Cluster.Models;

/// <summary>Persistent state of a <see cref="ModelGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.ModelState")]
public sealed class ModelState
{
    /// <summary>Bumped on every change.</summary>
    [Id(0)] public long Revision { get; set; }

    /// <summary>Versions by version string.</summary>
    [Id(1)] public Dictionary<string, ModelVersionInfo> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Labels and the versions they point at.</summary>
    [Id(2)] public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Settings set through the API for every version; null keeps each version's own config.json.</summary>
    [Id(3)] public ModelConfig? Config { get; set; }

    /// <summary>The A/B split; null sends every request that names no version to the default.</summary>
    [Id(4)] public TrafficPolicy? Traffic { get; set; }
}
