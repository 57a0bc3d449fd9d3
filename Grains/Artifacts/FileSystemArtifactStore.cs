using System.Security.Cryptography;
using Cluster.Models;
using Cluster.Repository;
using Microsoft.Extensions.Options;

namespace Cluster.Artifacts;

/// <summary>
/// The embedded default: artifacts stay where the model repository has them; uploads are written
/// into the repository folder as <c>model/version/model.onnx</c>, so a restart finds them again.
/// </summary>
public sealed class FileSystemArtifactStore(IOptions<ModelRepositoryOptions> repository) : IArtifactStore
{
    private string Root => Path.GetFullPath(repository.Value.Repository);

    public Task PublishAsync(VersionRegistration registration, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<(string Path, string Sha256)> StoreAsync(string model, string version, byte[] onnx, string fileName, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Root, model, version);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        await AtomicFile.WriteAsync(path, onnx, cancellationToken);
        return (path, Convert.ToHexStringLower(SHA256.HashData(onnx)));
    }

    public Task RemoveAsync(string model, VersionRegistration registration, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(registration.ArtifactPath))!;
        // Only a folder of this repository laid out as model/version is ours to delete.
        if (folder == Path.Combine(Root, model, registration.Version) && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(VersionRegistration registration, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(registration.ArtifactPath));

    public Task<string> GetLocalPathAsync(VersionRegistration registration, CancellationToken cancellationToken = default) =>
        File.Exists(registration.ArtifactPath)
            ? Task.FromResult(registration.ArtifactPath)
            : throw new FileNotFoundException($"The artifact of version {registration.Version} is gone from {registration.ArtifactPath}.", registration.ArtifactPath);
}
