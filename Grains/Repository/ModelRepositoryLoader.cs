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
    TimeProvider time,
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
            await RegisterInOrder(entries, entry => Register(entry, stoppingToken));
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogScanFailed(logger, root, ex);
        }
        finally
        {
            loadState.MarkInitialScanDone();
        }
        if (options.Value.PollSeconds > 0) await Poll(root, stoppingToken);
    }

    /// <summary>
    /// Poll mode: registers added or changed version folders and deletes versions whose folder is
    /// gone. An edited config.json registers its model's versions again, so fixing a typo there
    /// brings them up without a restart. A change registers only once two polls in a row see the
    /// same file: a model still being copied in would otherwise load half written and fail.
    /// </summary>
    private async Task Poll(string root, CancellationToken stoppingToken)
    {
        var known = Snapshot(ModelRepositoryScanner.Scan(root).Entries);
        var previous = new Dictionary<string, FileStamp>(known);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var entries = ModelRepositoryScanner.Scan(root).Entries;
                var current = Snapshot(entries);
                var changed = entries.Where(e => !known.TryGetValue(Key(e), out var seen) || seen != current[Key(e)]).ToArray();
                var settled = changed.Where(e => previous.TryGetValue(Key(e), out var last) && last == current[Key(e)]).ToArray();
                var removed = known.Keys.Where(k => !current.ContainsKey(k)).ToArray();
                foreach (var entry in settled) LogPolledChange(logger, entry.Model, entry.Version);
                // A version folder that appeared may be an upload, already registered; only an edited config.json forces a new registration.
                await RegisterInOrder(settled, entry => Register(entry, stoppingToken,
                    skipIfRegistered: !known.TryGetValue(Key(entry), out var seen) || seen.Config == current[Key(entry)].Config));
                foreach (var key in removed) await Remove(key);
                // A change still settling keeps what was registered before it (or nothing), so the next poll sees it as changed again.
                foreach (var entry in settled) known[Key(entry)] = current[Key(entry)];
                foreach (var key in removed) known.Remove(key);
                previous = current;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogScanFailed(logger, root, ex);
            }
        }
    }

    /// <summary>Models first, all in parallel, then pipelines: a pipeline is validated against the models its steps call, so they must be loaded.</summary>
    private static async Task RegisterInOrder(IReadOnlyList<ModelRepositoryEntry> entries, Func<ModelRepositoryEntry, Task> register)
    {
        await Task.WhenAll(entries.Where(e => e.Kind == VersionKind.Model).Select(register));
        await Task.WhenAll(entries.Where(e => e.Kind == VersionKind.Pipeline).Select(register));
    }

    private async Task Remove(string key)
    {
        var (model, version, _) = GrainKeys.Parse(key);
        if ((await grains.GetGrain<IModelGrain>(model).GetInfo()).FindVersion(version) is null) return;
        await grains.GetGrain<IModelVersionGrain>(key).Delete(force: true);
        LogPolledRemoval(logger, model, version);
    }

    private static string Key(ModelRepositoryEntry entry) => GrainKeys.Version(entry.Model, entry.Version);

    // Length and write time tell a replaced file from an untouched one without hashing every poll.
    private static Dictionary<string, FileStamp> Snapshot(IEnumerable<ModelRepositoryEntry> entries) =>
        entries.ToDictionary(Key, e => new FileStamp(new FileInfo(e.ArtifactPath).Length, File.GetLastWriteTimeUtc(e.ArtifactPath), ConfigWritten(e)));

    private readonly record struct FileStamp(long Length, DateTime Written, DateTime Config);

    // Missing files read as 1601-01-01, so adding or removing config.json counts as a change too.
    private static DateTime ConfigWritten(ModelRepositoryEntry entry) =>
        File.GetLastWriteTimeUtc(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(entry.ArtifactPath)!)!, ModelRepositoryScanner.ConfigFileName));

    private async Task Register(ModelRepositoryEntry entry, CancellationToken cancellationToken, bool skipIfRegistered = false)
    {
        string sha256;
        await using (var artifact = File.OpenRead(entry.ArtifactPath))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(artifact, cancellationToken));
        }
        // An upload lands in the repository folder too; re-registering it would reload a serving version.
        if (skipIfRegistered && (await grains.GetGrain<IModelGrain>(entry.Model).GetInfo()).FindVersion(entry.Version)?.Registration.Sha256 == sha256) return;
        var registration = new VersionRegistration(entry.Version, entry.ArtifactPath, sha256, entry.Config, entry.ConfigProblem, entry.Kind);
        await artifacts.PublishAsync(registration, cancellationToken);
        var info = await grains.GetGrain<IModelVersionGrain>(Key(entry)).Register(registration);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model repository: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model repository {Root} could not be loaded")]
    private static partial void LogScanFailed(ILogger logger, string root, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Model} version {Version} on {Provider}")]
    private static partial void LogReady(ILogger logger, string model, string version, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} is not serving: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model repository poll: {Model} version {Version} added or changed")]
    private static partial void LogPolledChange(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model repository poll: {Model} version {Version} removed")]
    private static partial void LogPolledRemoval(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the built-in demo model to {Path}")]
    private static partial void LogDemoWritten(ILogger logger, string path);
}
