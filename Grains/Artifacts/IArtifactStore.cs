using Cluster.Models;

namespace Cluster.Artifacts;

/// <summary>Where model bytes live, addressed by their SHA-256, so any inference silo can load any version.</summary>
public interface IArtifactStore
{
    /// <summary>Makes the artifact of <paramref name="registration"/> available to every silo (idempotent).</summary>
    Task PublishAsync(VersionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>A local file holding the artifact's bytes, fetched and verified when not cached yet.</summary>
    Task<string> GetLocalPathAsync(VersionRegistration registration, CancellationToken cancellationToken = default);
}
