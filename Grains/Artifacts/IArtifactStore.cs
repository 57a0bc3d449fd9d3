using Cluster.Models;

namespace Cluster.Artifacts;

/// <summary>Where model bytes live, addressed by their SHA-256, so any inference silo can load any version.</summary>
public interface IArtifactStore
{
    /// <summary>Makes the artifact of <paramref name="registration"/> available to every silo (idempotent).</summary>
    Task PublishAsync(VersionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores uploaded bytes as <paramref name="model"/>/<paramref name="version"/> under <paramref name="fileName"/>
    /// (<c>model.onnx</c> or <c>pipeline.json</c>); returns a path replicas can load and the SHA-256.
    /// </summary>
    Task<(string Path, string Sha256)> StoreAsync(string model, string version, byte[] onnx, string fileName, CancellationToken cancellationToken = default);

    /// <summary>Forgets a version's stored copy where the store owns it (the repository folder of an upload); shared content stays.</summary>
    Task RemoveAsync(string model, VersionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Whether the artifact of <paramref name="registration"/> can still be had (its file, or its published bytes).</summary>
    Task<bool> ExistsAsync(VersionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>A local file holding the artifact's bytes, fetched and verified when not cached yet.</summary>
    Task<string> GetLocalPathAsync(VersionRegistration registration, CancellationToken cancellationToken = default);
}
