using Cluster.Models;

namespace Cluster.Artifacts;

/// <summary>The embedded default: artifacts stay where the model repository has them.</summary>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    public Task PublishAsync(VersionRegistration registration, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<string> GetLocalPathAsync(VersionRegistration registration, CancellationToken cancellationToken = default) =>
        File.Exists(registration.ArtifactPath)
            ? Task.FromResult(registration.ArtifactPath)
            : throw new FileNotFoundException($"The artifact of version {registration.Version} is gone from {registration.ArtifactPath}.", registration.ArtifactPath);
}
