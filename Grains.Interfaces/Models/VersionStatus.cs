namespace Cluster.Models;

/// <summary>Where a model version is in its life.</summary>
[GenerateSerializer, Alias("Cluster.VersionStatus")]
public enum VersionStatus
{
    /// <summary>Registered; replicas are loading the session.</summary>
    Loading,
    /// <summary>Every replica loaded; requests are served.</summary>
    Ready,
    /// <summary>Loading failed; the reason says why.</summary>
    Failed,
    /// <summary>Registered but not loaded (unloaded by an operator); load it to serve again.</summary>
    Unloaded,
}
