namespace Cluster.Artifacts;

/// <summary>Where a silo caches artifacts fetched from the cluster's store (configuration section <c>Artifacts</c>).</summary>
public sealed class ArtifactOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Artifacts";

    /// <summary>Local cache folder; files are named by SHA-256.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "cluster-artifacts");

    /// <summary>PostgreSQL connection string of the cluster (set by the silo in cluster mode).</summary>
    public string? ConnectionString { get; set; }
}
