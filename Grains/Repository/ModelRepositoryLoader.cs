using System.Security.Cryptography;
using Cluster.Artifacts;
using Cluster.Grains;
using Cluster.Modeling;
using Cluster.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Repository;

/// <summary>
/// Registers every version found in the model repository once the silo is up, writing the demo
/// model first when the repository lacks it. Versions load in parallel; one failure does not stop the rest.
/// </summary>
public sealed partial class ModelRepositoryLoader(
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<ModelRepositoryOptions> options,
    RepositoryLoadState loadState,
    IArtifactStore artifacts,
    ILogger<ModelRepositoryLoader> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStarted(stoppingToken);
        var root = Path.GetFullPath(options.Value.Repository);
        try
        {
            if (options.Value.WriteDemoModel) WriteDemoModelIfMissing(root);
            var (entries, problems) = ModelRepositoryScanner.Scan(root);
            foreach (var problem in problems) LogSkipped(logger, problem);
            LogScanned(logger, root, entries.Count);
            await Task.WhenAll(entries.Select(entry => Register(entry, stoppingToken)));
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogScanFailed(logger, root, ex);
        }
        finally
        {
            loadState.MarkInitialScanDone();
        }
    }

    private async Task Register(ModelRepositoryEntry entry, CancellationToken cancellationToken)
    {
        string sha256;
        await using (var artifact = File.OpenRead(entry.ArtifactPath))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(artifact, cancellationToken));
        }
        var registration = new VersionRegistration(entry.Version, entry.ArtifactPath, sha256, entry.Config);
        await artifacts.PublishAsync(registration, cancellationToken);
        var info = await grains.GetGrain<IModelGrain>(entry.Model).RegisterVersion(registration);
        if (info.Status == VersionStatus.Ready) LogReady(logger, entry.Model, entry.Version, info.ExecutionProvider ?? "?");
        else LogNotReady(logger, entry.Model, entry.Version, info.Reason ?? info.Status.ToString());
    }

    private void WriteDemoModelIfMissing(string root)
    {
        var path = Path.Combine(root, DemoMlp.Name, "1", ModelRepositoryScanner.ModelFileName);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, DemoMlp.Build());
        LogDemoWritten(logger, path);
    }

    private Task WhenStarted(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model repository {Root}: {Count} version(s) found")]
    private static partial void LogScanned(ILogger logger, string root, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model repository entry skipped: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model repository {Root} could not be loaded")]
    private static partial void LogScanFailed(ILogger logger, string root, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Model} version {Version} on {Provider}")]
    private static partial void LogReady(ILogger logger, string model, string version, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} is not serving: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the built-in demo model to {Path}")]
    private static partial void LogDemoWritten(ILogger logger, string path);
}
