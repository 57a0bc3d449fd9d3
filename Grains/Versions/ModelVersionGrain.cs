using Cluster.Artifacts;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Microsoft.Extensions.Logging;

namespace Cluster.Versions;

/// <summary>
/// One version's lifecycle. Not reentrant: a load, scale, drain or unload runs as one turn, so no
/// change can slip in while replicas load and nothing is checked again after an await. The
/// catalog (<see cref="IModelGrain"/>) keeps the record; this grain reads its entry from there on
/// activation, so after a restart it carries on from what the catalog persisted.
/// </summary>
public sealed partial class ModelVersionGrain(
    VersionReplicas replicas,
    Pipelines.PipelineLoader pipelines,
    IArtifactStore artifacts,
    Audit.IAuditLog audit,
    TimeProvider time,
    ILogger<ModelVersionGrain> logger) : Grain, IModelVersionGrain
{
    // Routers refresh their routing table at least every second; waiting longer lets requests they
    // routed before an unload finish before the sessions go.
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(2);

    private string _model = "";
    private string _version = "";
    private ModelVersionInfo? _info;
    // True while a lifecycle turn runs; read by Evict, the one call that interleaves with such a turn.
    private bool _changing;

    private IModelGrain Catalog => GrainFactory.GetGrain<IModelGrain>(_model);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_model, _version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _info = (await Catalog.GetInfo()).FindVersion(_version);
    }

    public Task<ModelVersionInfo> Register(VersionRegistration registration) => Changing(async () =>
    {
        // A repository scan may have seen the version's folder just before a delete removed it, its call queued behind the delete.
        if (!await artifacts.ExistsAsync(registration))
        {
            throw new ModelNotFoundException($"The artifact of model '{_model}' version {_version} is gone ({registration.ArtifactPath}); nothing was registered.");
        }
        return await RegisterNow(registration);
    });

    public Task<ModelVersionInfo> Upload(byte[] onnx, ModelConfig? config, string? label) => Changing(async () =>
    {
        CheckVersionNumber();
        if (_info is not null)
        {
            throw new ConflictException($"Model '{_model}' already has version {_version}; upload a new version number (or delete this one first).");
        }
        // One upload call takes either kind of artifact: a pipeline definition is JSON, an ONNX file a protobuf message.
        var kind = Pipelines.PipelineLoader.IsDefinition(onnx) ? VersionKind.Pipeline : VersionKind.Model;
        var (path, sha256) = await artifacts.StoreAsync(_model, _version, onnx, kind == VersionKind.Pipeline ? Pipelines.PipelineLoader.FileName : Repository.ModelRepositoryScanner.ModelFileName);
        var info = await RegisterNow(new VersionRegistration(_version, path, sha256, config ?? ModelConfig.Default, Kind: kind));
        if (info.Status != VersionStatus.Ready)
        {
            await Forget(force: true);
            throw new InvalidInferenceRequestException($"The uploaded file cannot be served, so nothing was registered: {info.Reason}");
        }
        if (label is not null) await Catalog.SetLabel(label, _version);
        LogUploaded(logger, _model, _version, sha256);
        await audit.Append("version.upload", _model, null, $"version {_version} sha256 {sha256}{(label is null ? "" : $" label {label}")}");
        return info;
    });

    public Task<ModelVersionInfo> Load() => Changing(async () =>
    {
        var entry = Existing();
        // Loads run inside this grain's turns, so a version still recorded as loading was cut off (its silo went down): load it again.
        if (entry.Status == VersionStatus.Ready) return entry;
        var loaded = await RegisterNow(entry.Registration);
        await audit.Append("version.load", _model, $"version {_version} {entry.Status}", $"version {_version} {loaded.Status}");
        return loaded;
    });

    public Task<ModelVersionInfo> Reload() => Changing(async () =>
    {
        var entry = Existing();
        return entry.Status is VersionStatus.Ready or VersionStatus.Failed ? await RegisterNow(entry.Registration) : entry;
    });

    public Task<ModelVersionInfo> Unload() => Changing(async () =>
    {
        var entry = Existing();
        if (entry.Status == VersionStatus.Unloaded) return entry;
        var unloaded = entry with { Status = VersionStatus.Unloaded, Reason = null };
        await Record(unloaded);
        await Task.Delay(DrainTime, time);
        await UnloadReplicas(entry);
        LogUnloaded(logger, _model, _version);
        await audit.Append("version.unload", _model, $"version {_version} {entry.Status}", $"version {_version} Unloaded");
        return unloaded;
    });

    public Task<ModelVersionInfo> Scale(int count, string reason)
    {
        if (count is < 0 or > 64) throw new InvalidInferenceRequestException($"Replicas must be between 0 and 64, not {count}.");
        return Changing(() => ScaleNow(count, reason, DrainTime));
    }

    public async Task<bool> Evict(string reason)
    {
        if (_changing || _info is not { Status: VersionStatus.Ready, Replicas: > 0 }) return false;
        return await this.AsReference<IModelVersionGrain>().Release(reason);
    }

    public Task<bool> Release(string reason) => Changing(async () =>
    {
        if (_info is not { Status: VersionStatus.Ready, Replicas: > 0 }) return false;
        // A batch that still reaches an evicted replica is sent again by its worker (or waits for a cold start), and a load is waiting: no drain.
        await ScaleNow(0, reason, TimeSpan.Zero);
        LogEvicted(logger, _model, _version, reason);
        return true;
    });

    public Task Delete(bool force) => Changing(async () =>
    {
        var entry = await Forget(force);
        LogDeleted(logger, _model, _version);
        await audit.Append("version.delete", _model, $"version {_version} {entry.Status} sha256 {entry.Registration.Sha256}", force ? "deleted (forced)" : "deleted");
        return entry;
    });

    public Task Rebalance() => Changing(async () =>
    {
        if (_info is null || await replicas.Rebalance(GrainFactory, _model, _info) is not { } moved) return _info;
        await Record(moved);
        return moved;
    });

    public Task<ModelVersionInfo?> GetStatus() => Task.FromResult(_info);

    private async Task<T> Changing<T>(Func<Task<T>> change)
    {
        _changing = true;
        try
        {
            return await change();
        }
        finally
        {
            _changing = false;
        }
    }

    private async Task<ModelVersionInfo> RegisterNow(VersionRegistration registration)
    {
        CheckVersionNumber();
        var before = _info;
        var loading = await Catalog.BeginVersion(registration with { Version = _version });
        _info = loading;
        // A version whose config.json is wrong is listed with the reason, and nothing loads until the file is fixed.
        var loaded = registration.ConfigProblem is { } problem
            ? loading with { Status = VersionStatus.Failed, Reason = problem, Replicas = 0, ReplicaSilos = [] }
            : registration.Kind == VersionKind.Pipeline ? await pipelines.Load(GrainFactory, _model, loading)
            : await replicas.Load(GrainFactory, _model, loading);
        await Record(loaded);
        // A reload starts again from the initial count; replicas an autoscaler had added beyond it would otherwise hold sessions nobody calls.
        if (before is not null && before.Replicas > loaded.Replicas)
        {
            await Task.Delay(DrainTime, time);
            await replicas.Unload(GrainFactory, _model, _version, loaded.Replicas, before.Replicas);
        }
        if (loaded.Status == VersionStatus.Failed) LogLoadFailed(logger, _model, _version, loaded.Reason ?? "");
        return loaded;
    }

    private async Task<ModelVersionInfo> ScaleNow(int count, string reason, TimeSpan drain)
    {
        var entry = Existing();
        if (entry.Registration.Kind == VersionKind.Pipeline) throw new ConflictException($"Version {_version} of '{_model}' is a pipeline; it has no replicas of its own (scale the models its steps call).");
        if (entry.Status != VersionStatus.Ready) throw new ConflictException($"Version {_version} of '{_model}' is {entry.Status.ToString().ToLowerInvariant()}; only a ready version can be scaled.");
        if (count == entry.Replicas) return entry;
        ModelVersionInfo scaled;
        if (count > entry.Replicas)
        {
            scaled = (await replicas.ScaleUp(GrainFactory, _model, entry, count)) with { Reason = null };
            await Record(scaled);
        }
        else
        {
            scaled = entry with
            {
                Replicas = count,
                ReplicaSilos = entry.ReplicaSilos.IsDefault ? entry.ReplicaSilos : [.. entry.ReplicaSilos.Take(count)],
                Reason = count == 0 ? $"scaled to zero: {reason}" : null,
            };
            // Out of the catalog first, so routers stop sending to the removed replicas before their sessions go.
            await Record(scaled);
            if (drain > TimeSpan.Zero) await Task.Delay(drain, time);
            await replicas.Unload(GrainFactory, _model, _version, count, entry.Replicas);
        }
        LogScaled(logger, _model, _version, entry.Replicas, count, reason);
        await audit.Append("version.scale", _model, $"version {_version} {entry.Replicas} replicas", $"version {_version} {count} replicas ({reason})");
        return scaled;
    }

    /// <summary>Takes the version out of the catalog, then drains and frees its replicas and its stored copy.</summary>
    private async Task<ModelVersionInfo> Forget(bool force)
    {
        Existing();
        var entry = await Catalog.RemoveVersion(_version, force);
        _info = null;
        if (entry.Status == VersionStatus.Ready) await Task.Delay(DrainTime, time);
        await UnloadReplicas(entry);
        await artifacts.RemoveAsync(_model, entry.Registration);
        return entry;
    }

    // A pipeline version has no replicas; activating replica grains just to unload them would only waste activations.
    private Task UnloadReplicas(ModelVersionInfo entry) =>
        entry.Registration.Kind == VersionKind.Pipeline ? Task.CompletedTask : replicas.Unload(GrainFactory, _model, entry);

    private async Task Record(ModelVersionInfo info)
    {
        await Catalog.RecordVersion(info);
        _info = info;
    }

    private ModelVersionInfo Existing() => _info ?? throw new ModelNotFoundException($"Model '{_model}' has no version {_version}.");

    private void CheckVersionNumber()
    {
        if (!ModelVersions.TryParse(_version, out _)) throw new InvalidInferenceRequestException($"Version '{_version}' is not a positive integer.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} uploaded ({Sha256})")]
    private static partial void LogUploaded(ILogger logger, string model, string version, string sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} unloaded")]
    private static partial void LogUnloaded(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} deleted")]
    private static partial void LogDeleted(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} evicted: {Reason}")]
    private static partial void LogEvicted(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} scaled from {From} to {To} replicas: {Reason}")]
    private static partial void LogScaled(ILogger logger, string model, string version, int from, int to, string reason);
}
