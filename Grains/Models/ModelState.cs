namespace Cluster.Models;

/// <summary>Persistent state of a <see cref="ModelGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.ModelState")]
public sealed class ModelState
{
    /// <summary>Bumped on every change.</summary>
    [Id(0)] public long Revision { get; set; }

    /// <summary>Versions by version string.</summary>
    [Id(1)] public Dictionary<string, ModelVersionInfo> Versions { get; set; } = new(StringComparer.Ordinal);
}
