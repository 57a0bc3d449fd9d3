using System.Collections.Immutable;
using Cluster.Artifacts;
using Cluster.Errors;
using Cluster.Grains;
using Microsoft.Extensions.Logging;

namespace Cluster.Models;

/// <summary>
/// A model's catalog: versions, labels, model-wide settings. Reentrant so that metadata reads are
/// answered while replicas load; every state change happens between awaits and writes go through
/// one lock, so interleaved turns never write with a stale etag.
/// </summary>
[Reentrant]
public sealed partial class ModelGrain(
    [PersistentState("model", ModelStorage.Name)] IPersistentState<ModelState> state,
    VersionReplicas replicas,
    IArtifactStore artifacts,
    Audit.IAuditLog audit,
    ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    // Routers refresh their routing table at least every second; waiting longer lets requests they
    // routed before an unload finish before the sessions go.
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(2);
    // An eviction keeps a load waiting, and a batch that still reaches an evicted replica is sent again by its worker (or waits for a cold start): no drain.
    private static readonly TimeSpan EvictionDrainTime = TimeSpan.Zero;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    // One scale change per version at a time: a scale-down drains before it unloads, and a scale-up must not interleave with it.
    private readonly Dictionary<string, SemaphoreSlim> _scaleLocks = new(StringComparer.Ordinal);

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Placement only happens at activation, so check now and then whether silos that joined since should take replicas.
        this.RegisterGrainTimer(Rebalance, new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) { Interleave = true, KeepAlive = false });
        // A rollout that was running when its silo went down resumes as soon as anything touches the model, not only at its next reminder.
        if (state.State.Traffic?.Rollout is not null) _ = GrainFactory.GetGrain<IRolloutGrain>(Name).Wake();
        return Task.CompletedTask;
    }

    private async Task Rebalance(CancellationToken cancellationToken)
    {
        foreach (var version in state.State.Versions.Values.ToArray())
        {
            if (await replicas.Rebalance(GrainFactory, Name, version) is not { } moved) continue;
            // Save only if nothing replaced this version meanwhile.
            if (state.State.Versions.TryGetValue(version.Version, out var current) && ReferenceEquals(current, version))
            {
                await Save(s => s.Versions[version.Version] = moved);
            }
        }
    }

    public async Task<ModelVersionInfo> RegisterVersion(VersionRegistration registration)
    {
        if (!ModelVersions.TryParse(registration.Version, out _))
        {
            throw new InvalidInferenceRequestException($"Version '{registration.Version}' is not a positive integer.");
        }
        if (state.State.Config is { } modelConfig) registration = registration with { Config = modelConfig };
        var loading = new ModelVersionInfo(registration.Version, VersionStatus.Loading, null, null, null, registration);
        await Save(s =>
        {
            s.Versions[registration.Version] = loading;
            foreach (var (label, version) in registration.Config.Labels) s.Labels.TryAdd(label, version);
        });
        await GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).Add(Name);

        var previous = state.State.Versions.GetValueOrDefault(registration.Version);
        var loaded = await replicas.Load(GrainFactory, Name, loading);
        // A newer registration (or a delete) of the same version may have landed while these replicas loaded.
        if (!state.State.Versions.TryGetValue(registration.Version, out var current) || !ReferenceEquals(current.Registration, registration)) return current ?? loaded;
        await Save(s => s.Versions[registration.Version] = loaded);
        // A reload starts again from the initial count; replicas an autoscaler had added beyond it would otherwise hold sessions nobody calls.
        var before = previous?.Replicas ?? 0;
        if (before > loaded.Replicas)
        {
            await Task.Delay(DrainTime);
            await replicas.Unload(GrainFactory, Name, registration.Version, loaded.Replicas, before);
        }
        if (loaded.Status == VersionStatus.Failed) LogLoadFailed(logger, Name, registration.Version, loaded.Reason ?? "");
        return loaded;
    }

    public async Task<ModelVersionInfo> UploadVersion(string version, byte[] onnx, ModelConfig? config, string? label)
    {
        if (!ModelVersions.TryParse(version, out _)) throw new InvalidInferenceRequestException($"Version '{version}' is not a positive integer.");
        if (state.State.Versions.ContainsKey(version))
        {
            throw new ConflictException($"Model '{Name}' already has version {version}; upload a new version number (or delete this one first).");
        }
        var (path, sha256) = await artifacts.StoreAsync(Name, version, onnx);
        var info = await RegisterVersion(new VersionRegistration(version, path, sha256, config ?? state.State.Config ?? ModelConfig.Default));
        if (info.Status != VersionStatus.Ready)
        {
            await Forget(version, info.Registration);
            throw new InvalidInferenceRequestException($"The uploaded file cannot be served, so nothing was registered: {info.Reason}");
        }
        if (label is not null) await SetLabel(label, version);
        LogUploaded(logger, Name, version, sha256);
        await audit.Append("version.upload", Name, null, $"version {version} sha256 {sha256}{(label is null ? "" : $" label {label}")}");
        return info;
    }

    public async Task<ModelVersionInfo> LoadVersion(string version)
    {
        var entry = Find(version);
        if (entry.Status is VersionStatus.Ready or VersionStatus.Loading) return entry;
        var loaded = await RegisterVersion(entry.Registration);
        await audit.Append("version.load", Name, $"version {version} {entry.Status}", $"version {version} {loaded.Status}");
        return loaded;
    }

    public async Task<ModelVersionInfo> UnloadVersion(string version)
    {
        var entry = Find(version);
        if (entry.Status == VersionStatus.Unloaded) return entry;
        var unloaded = entry with { Status = VersionStatus.Unloaded, Reason = null };
        await Save(s => s.Versions[version] = unloaded);
        await Task.Delay(DrainTime);
        await replicas.Unload(GrainFactory, Name, entry);
        LogUnloaded(logger, Name, version);
        await audit.Append("version.unload", Name, $"version {version} {entry.Status}", $"version {version} Unloaded");
        return unloaded;
    }

    public async Task DeleteVersion(string version, bool force)
    {
        var entry = Find(version);
        if (!force && ModelCatalog.TrafficHolding(await GetInfo(), version) is { } reason)
        {
            throw new ConflictException($"Version {version} of '{Name}' still serves traffic ({reason}); move the traffic first or delete with force=true.");
        }
        await Save(s =>
        {
            s.Versions.Remove(version);
            foreach (var label in s.Labels.Where(l => l.Value == version).Select(l => l.Key).ToArray()) s.Labels.Remove(label);
        });
        if (entry.Status == VersionStatus.Ready) await Task.Delay(DrainTime);
        await replicas.Unload(GrainFactory, Name, entry);
        await Forget(version, entry.Registration);
        LogDeleted(logger, Name, version);
        await audit.Append("version.delete", Name, $"version {version} {entry.Status} sha256 {entry.Registration.Sha256}", force ? "deleted (forced)" : "deleted");
    }

    public async Task<ModelInfo> SetLabel(string label, string version)
    {
        if (ModelVersions.TryParse(label, out _)) throw new InvalidInferenceRequestException($"Label '{label}' looks like a version number.");
        if (!Repository.ModelNames.IsValid(label)) throw new InvalidInferenceRequestException($"Label '{label}' may hold only letters, digits, '.', '_' and '-'.");
        Find(version);
        var before = state.State.Labels.TryGetValue(label, out var previous) ? $"{label} → {previous}" : null;
        await Save(s => s.Labels[label] = version);
        await audit.Append("label.set", Name, before, $"{label} → {version}");
        return await GetInfo();
    }

    public async Task<ModelInfo> SetConfig(ModelConfig config)
    {
        var before = state.State.Config;
        await Save(s => s.Config = config);
        await audit.Append("config.set", Name, before?.ToString(), config.ToString());
        var loaded = state.State.Versions.Values.Where(v => v.Status is VersionStatus.Ready or VersionStatus.Failed).ToArray();
        await Task.WhenAll(loaded.Select(v => RegisterVersion(v.Registration)));
        return await GetInfo();
    }

    public async Task<ModelInfo> SetTraffic(TrafficPolicy traffic)
    {
        if (state.State.Traffic?.Rollout is { } rollout)
        {
            throw new ConflictException($"Rollout {rollout} of '{Name}' controls its traffic; pause and abort it, or let it finish, before setting weights.");
        }
        TrafficRules.Validate(await GetInfo(), traffic with { Rollout = null });
        var before = state.State.Traffic;
        await Save(s => s.Traffic = traffic.IsEmpty ? null : traffic with { Rollout = null });
        await audit.Append("traffic.set", Name, TrafficText.Describe(before), TrafficText.Describe(state.State.Traffic));
        LogTraffic(logger, Name, string.Join(", ", traffic.Weights.Select(w => $"{w.Key}={w.Value}")), traffic.Sticky);
        return await GetInfo();
    }

    public async Task<ModelInfo> ApplyRollout(string rolloutId, ImmutableDictionary<string, double> weights, bool release)
    {
        if (state.State.Traffic?.Rollout is { } holder && holder != rolloutId)
        {
            throw new ConflictException($"Rollout {holder} of '{Name}' already controls its traffic.");
        }
        var current = state.State.Traffic ?? new TrafficPolicy(ImmutableDictionary<string, double>.Empty, Sticky: true);
        var traffic = current with { Weights = weights, Rollout = release ? null : rolloutId, Bandit = null };
        TrafficRules.Validate(await GetInfo(), traffic);
        var before = state.State.Traffic;
        await Save(s => s.Traffic = traffic.IsEmpty ? null : traffic);
        await audit.Append("traffic.rollout", Name, TrafficText.Describe(before), TrafficText.Describe(state.State.Traffic));
        LogTraffic(logger, Name, string.Join(", ", weights.Select(w => $"{w.Key}={w.Value}")), traffic.Sticky);
        return await GetInfo();
    }

    public Task<ModelInfo> GetInfo() => Task.FromResult(ModelCatalog.Describe(Name, state.State));

    private ModelVersionInfo Find(string version) =>
        state.State.Versions.TryGetValue(version, out var entry) ? entry : throw new ModelNotFoundException($"Model '{Name}' has no version {version}.");

    /// <summary>Drops a version that is out of the catalog: its stored copy and, when it was the last, the model's index entry.</summary>
    private async Task Forget(string version, VersionRegistration registration)
    {
        if (state.State.Versions.Remove(version)) await Save(_ => { });
        await artifacts.RemoveAsync(Name, registration);
        if (state.State.Versions.Count == 0) await GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).Remove(Name);
    }

    private async Task Save(Action<ModelState> change)
    {
        await _writeLock.WaitAsync();
        try
        {
            change(state.State);
            state.State.Revision++;
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} uploaded ({Sha256})")]
    private static partial void LogUploaded(ILogger logger, string model, string version, string sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} unloaded")]
    private static partial void LogUnloaded(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} traffic set to {Weights} (sticky: {Sticky})")]
    private static partial void LogTraffic(ILogger logger, string model, string weights, bool sticky);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} deleted")]
    private static partial void LogDeleted(ILogger logger, string model, string version);
}
