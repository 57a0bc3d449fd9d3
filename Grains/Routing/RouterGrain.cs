using System.Collections.Immutable;
using Cluster.Bandits;
using Cluster.Capture;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Telemetry;
using Cluster.Tensors;
using Microsoft.Extensions.Logging;

namespace Cluster.Routing;

/// <summary>
/// Resolves the version for each request from a cached copy of the model's catalog (refreshed in
/// the background every half second, so no request waits for it, and at once when a request names
/// a version the copy lacks; one read of the catalog at a time), applies the traffic policy, validates the
/// request and hands it to that version's batch worker. One reentrant activation per silo: Orleans
/// delivers a caller's cancellation to a stateless worker by grain id, which reaches the activation
/// running the call only when there is one (10.4.2), and a disconnected caller must be dropped.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
public sealed partial class RouterGrain(TimeProvider time, InferenceInstruments instruments, CaptureBuffer captures, IPredictionLog predictions, ILogger<RouterGrain> logger) : Grain, IRouterGrain
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(500);
    // Only when background refreshes fail or hang (the catalog's silo is gone or frozen) does a request wait on a refresh,
    // and then no longer than StaleWait after the refresh began: a copy a few seconds old beats a request held for 30 s.
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StaleWait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ShadowTimeout = TimeSpan.FromSeconds(30);

    // GetGrain reflects over the interface on every call in Orleans 10.4.2; references are reusable, so keep them.
    private readonly Dictionary<string, IBatchWorkerGrain> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPipelineGrain> _pipelines = new(StringComparer.Ordinal);
    private readonly ResponseCache _cache = new();
    private readonly ShadowMirror _shadows = new();
    private readonly List<BanditAssignment> _assignments = [];
    private IGrainTimer? _housekeeping;
    private RoutingTable? _table;
    private long _fetchedAt;
    private Task<ModelInfo>? _refreshing;
    private long _refreshStartedAt;
    private string? _model;

    private string Model => _model ??= this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(RefreshInBackground, new GrainTimerCreationOptions(RefreshEvery, RefreshEvery) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    private async Task RefreshInBackground(CancellationToken cancellationToken)
    {
        if (_table is null) return;
        try
        {
            await Refresh();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick, or a request past MaxStaleness, tries again.
        }
    }

    public async Task<InferenceResponse> Infer(InferenceRequest request, string? version, CancellationToken cancellationToken)
    {
        // Inputs a .NET client sent arrived in lent arrays; this call gives them back once it has answered (a gateway's are its own).
        var received = TensorBuffers.Claim(request.Inputs);
        using var span = InferenceTracing.Start("route", Model, null);
        span?.SetTag("cluster.arm", version is null ? "split" : "named");
        if (version is null) await Current();
        var probability = 0.0;
        if (version is null)
        {
            // A bandit learns from feedback per request id, so every request it routes needs one; the response carries it back.
            if (_table!.BanditProbabilities is not null && request.Id is null) request = request with { Id = RequestIds.New() };
            (version, probability) = _table.Pick(request.RoutingKey, Random.Shared);
        }
        var entry = await Resolve(version);
        span?.SetTag("cluster.version", entry.Version);
        if (entry.Status != VersionStatus.Ready || entry.Signature is null)
        {
            span?.SetTag("cluster.outcome", "unavailable");
            throw new ModelNotReadyException(entry.Status switch
            {
                VersionStatus.Failed => $"Model '{Model}' version {entry.Version} failed to load: {entry.Reason}",
                VersionStatus.Unloaded => $"Model '{Model}' version {entry.Version} is unloaded; load it to serve it again.",
                _ => $"Model '{Model}' version {entry.Version} is still loading.",
            });
        }
        var started = time.GetTimestamp();
        var outcome = "success";
        var config = entry.Registration.Config;
        // Capture off costs this one check; a sampled request keeps references to its tensors, formatted later by the capture writer.
        var capture = config.Capture is { Fraction: > 0 } settings && CaptureBuffer.Sample(settings) ? settings : null;
        // The caller joins ground truth to a record by its id, so a captured request without one gets one, and the response carries it.
        // Likewise a request of a model with a quality config: its label finds the prediction by this id.
        if ((capture is not null || config.Quality is not null) && request.Id is null) request = request with { Id = RequestIds.New() };
        var receivedAt = capture is null ? default : time.GetUtcNow();
        ImmutableArray<TensorData> answered = default;
        BatchedOutputs? batched = null;
        string? error = null;
        try
        {
            InferenceRequestValidator.Validate(request, entry.Signature, config.MaxBatchSize);
            var cacheKey = config.ResponseCacheEntries > 0 ? ResponseCache.KeyOf(entry.Version, request) : null;
            if (cacheKey is not null)
            {
                var hit = _cache.TryGet(cacheKey, out var cached);
                instruments.RecordCacheLookup(Model, entry.Version, hit);
                if (hit)
                {
                    if (config.Quality is { } cachedQuality) RecordPrediction(entry, request, cached, cachedQuality);
                    return new InferenceResponse(Model, entry.Version, request.Id, answered = cached);
                }
            }
            // A pipeline version has no batch worker of its own: its grain calls each step's router, which batches.
            var outputs = answered = entry.Registration.Kind == VersionKind.Pipeline
                ? TensorBuffers.Disowned((await Pipeline(entry.Version).Run(request, entry, cancellationToken)).Outputs)
                : (batched = await Worker(entry.Version).Infer(request, config, entry.Replicas, cancellationToken)).Outputs;
            if (config.Quality is { } quality) RecordPrediction(entry, request, outputs, quality);
            if (cacheKey is not null) _cache.Add(cacheKey, TensorBuffers.Keep(outputs), config.ResponseCacheEntries);
            var shadows = MirrorToShadows(request, entry.Version, outputs, capture);
            if (shadows > 0) span?.SetTag("cluster.shadows", shadows);
            if (probability > 0)
            {
                _assignments.Add(new BanditAssignment(request.Id!, entry.Version, probability));
                StartHousekeeping();
            }
            return new InferenceResponse(Model, entry.Version, request.Id, outputs);
        }
        catch (Exception ex)
        {
            outcome = ex switch
            {
                InvalidInferenceRequestException => "invalid",
                QueueFullException => "rejected",
                DeadlineExceededException => "expired",
                OperationCanceledException => "cancelled",
                _ => "error",
            };
            span.Fail(ex);
            error = ex.Message;
            throw;
        }
        finally
        {
            span?.SetTag("cluster.outcome", outcome);
            var elapsed = time.GetElapsedTime(started);
            instruments.RecordRequest(Model, entry.Version, outcome, elapsed);
            if (capture is not null) Capture(entry.Version, "primary", request, answered, batched, capture, receivedAt, elapsed, outcome, error);
            // After a failure a queued copy of the request may still read them (see TensorBuffers), so only success returns them.
            if (outcome == "success") TensorBuffers.ReturnClaimed(received, answered);
        }
    }

    public async Task<BatchingStats> GetBatchingStats(string? version)
    {
        var entry = await Resolve(version);
        // A pipeline version has no batch worker (its steps batch in their own models'); asking would activate an idle one.
        if (entry.Registration.Kind == VersionKind.Pipeline) return new BatchingStats("pipeline", 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return await Worker(entry.Version).GetStats();
    }

    private IBatchWorkerGrain Worker(string version)
    {
        if (!_workers.TryGetValue(version, out var worker))
        {
            worker = GrainFactory.GetGrain<IBatchWorkerGrain>(GrainKeys.Version(Model, version));
            _workers[version] = worker;
        }
        return worker;
    }

    private IPipelineGrain Pipeline(string version)
    {
        if (!_pipelines.TryGetValue(version, out var pipeline))
        {
            pipeline = GrainFactory.GetGrain<IPipelineGrain>(GrainKeys.Version(Model, version));
            _pipelines[version] = pipeline;
        }
        return pipeline;
    }

    private async Task<ModelVersionInfo> Resolve(string? version)
    {
        var fetchedBefore = _fetchedAt;
        var info = await Current();
        var entry = info.Resolve(version);
        // A missing version, or one that stopped serving, may only mean the cached table is stale (a hot swap).
        if ((entry is null || entry.Status != VersionStatus.Ready) && _fetchedAt == fetchedBefore)
        {
            info = await Refresh();
            entry = info.Resolve(version);
        }
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{Model}'.");
        if (entry is not null) return entry;
        throw new ModelNotFoundException(version is not null
            ? $"Model '{Model}' has no version or label '{version}'."
            : $"Model '{Model}' has no default version: default_version follows label '{info.DefaultLabel}', which points at no version; set the label, or give a version traffic with weights or a rollout.");
    }

    private IBanditGrain Bandit => GrainFactory.GetGrain<IBanditGrain>(Model);

    private async Task<ImmutableDictionary<string, double>?> BanditProbabilities(ModelInfo info)
    {
        if (info.Traffic is not { Bandit: { } settings }) return null;
        ImmutableArray<string> arms = [.. info.Arms().Select(a => a.Version).Order(StringComparer.Ordinal)];
        try
        {
            return await Bandit.GetProbabilities(arms, settings);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without the bandit's answer, keep splitting as it last said (or by the weights).
            return _table?.BanditProbabilities;
        }
    }

    /// <summary>The catalog to route by: the cached copy while it is fresh, else a refresh, waited for no longer than <see cref="StaleWait"/> after it began.</summary>
    private async Task<ModelInfo> Current()
    {
        if (_table is null) return await Refresh();
        if (time.GetElapsedTime(_fetchedAt) <= MaxStaleness) return _table.Info;
        var refresh = Refresh();
        var left = StaleWait - time.GetElapsedTime(_refreshStartedAt);
        if (refresh.IsCompleted || left > TimeSpan.Zero)
        {
            try
            {
                return await (refresh.IsCompleted ? refresh : refresh.WaitAsync(left, time));
            }
            catch (TimeoutException) when (!refresh.IsCompleted)
            {
                // Still reading: route by the copy held, as every request after it does until the read ends.
            }
        }
        return _table.Info;
    }

    /// <summary>Reads the catalog, or joins the read under way.</summary>
    private Task<ModelInfo> Refresh()
    {
        if (_refreshing is { IsCompleted: false } running) return running;
        _refreshStartedAt = time.GetTimestamp();
        return _refreshing = Fetch();
    }

    private async Task<ModelInfo> Fetch()
    {
        ModelInfo info;
        try
        {
            info = await GrainFactory.GetGrain<IModelGrain>(Model).GetInfo();
        }
        catch (Exception ex) when (_table is not null && (Placement.SiloFailures.IsSiloLost(ex) || ex is TimeoutException))
        {
            // The catalog's silo just died, or stayed silent for Orleans' response timeout; until its grain answers again
            // (re-activated elsewhere), a routing table a few seconds old beats failing.
            info = _table.Info;
        }
        _table = new RoutingTable(info, await BanditProbabilities(info));
        _fetchedAt = time.GetTimestamp();
        return info;
    }
}
