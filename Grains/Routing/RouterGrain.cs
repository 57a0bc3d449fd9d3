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
/// a version the copy lacks), applies the traffic policy, validates the
/// request and hands it to that version's batch worker. One reentrant activation per silo: Orleans
/// delivers a caller's cancellation to a stateless worker by grain id, which reaches the activation
/// running the call only when there is one (10.4.2), and a disconnected caller must be dropped.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
public sealed partial class RouterGrain(TimeProvider time, InferenceInstruments instruments, CaptureBuffer captures, IPredictionLog predictions, ILogger<RouterGrain> logger) : Grain, IRouterGrain
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(500);
    // Only when background refreshes fail (the catalog's silo is gone) does a request refresh inline.
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ShadowTimeout = TimeSpan.FromSeconds(30);

    // GetGrain reflects over the interface on every call in Orleans 10.4.2; references are reusable, so keep them.
    private readonly Dictionary<string, IBatchWorkerGrain> _workers = new(StringComparer.Ordinal);
    private readonly ResponseCache _cache = new();
    private readonly ShadowMirror _shadows = new();
    private readonly List<BanditAssignment> _assignments = [];
    private IGrainTimer? _housekeeping;
    private RoutingTable? _table;
    private long _fetchedAt;
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
        using var span = InferenceTracing.Start("route", Model, null);
        span?.SetTag("cluster.arm", version is null ? "split" : "named");
        if (version is null && (_table is null || time.GetElapsedTime(_fetchedAt) > MaxStaleness)) await Refresh();
        var probability = 0.0;
        if (version is null)
        {
            // A bandit learns from feedback per request id, so every request it routes needs one; the response carries it back.
            if (_table!.BanditProbabilities is not null && request.Id is null) request = request with { Id = Guid.NewGuid().ToString("N") };
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
        if ((capture is not null || config.Quality is not null) && request.Id is null) request = request with { Id = Guid.NewGuid().ToString("N") };
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
            batched = await Worker(entry.Version).Infer(request, config, entry.Replicas, cancellationToken);
            var outputs = answered = batched.Outputs;
            if (config.Quality is { } quality) RecordPrediction(entry, request, outputs, quality);
            if (cacheKey is not null) _cache.Add(cacheKey, outputs, config.ResponseCacheEntries);
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
        }
    }

    /// <summary>
    /// Copies a sample of requests to the shadow versions after the primary answered; nothing here can delay or fail the primary.
    /// Returns how many copies went out.
    /// </summary>
    private int MirrorToShadows(InferenceRequest request, string primaryVersion, ImmutableArray<TensorData> primaryOutputs, CaptureConfig? capture)
    {
        if (_table is not { Shadows.IsEmpty: false } table) return 0;
        var sent = 0;
        foreach (var (entry, fraction) in table.Shadows)
        {
            if (entry.Version == primaryVersion) continue;
            if (Random.Shared.NextDouble() >= fraction || !_shadows.TryBegin(entry.Version)) continue;
            _ = RunShadow(request, entry, primaryOutputs, capture);
            sent++;
        }
        StartHousekeeping();
        return sent;
    }

    private async Task RunShadow(InferenceRequest request, ModelVersionInfo shadow, ImmutableArray<TensorData> primaryOutputs, CaptureConfig? capture)
    {
        var started = time.GetTimestamp();
        var receivedAt = capture is null ? default : time.GetUtcNow();
        ImmutableArray<TensorData> answered = default;
        try
        {
            var config = shadow.Registration.Config;
            InferenceRequestValidator.Validate(request, shadow.Signature!, config.MaxBatchSize);
            using var timeout = new CancellationTokenSource(ShadowTimeout, time);
            var batched = await Worker(shadow.Version).Infer(request with { Timeout = ShadowTimeout }, config, shadow.Replicas, timeout.Token);
            answered = batched.Outputs;
            _shadows.Succeeded(shadow.Version, time.GetElapsedTime(started), primaryOutputs, batched.Outputs);
            if (capture is not null) Capture(shadow.Version, "shadow", request, batched.Outputs, batched, capture, receivedAt, time.GetElapsedTime(started), "success", null);
        }
        catch (Exception ex)
        {
            // Whatever the shadow does wrong is its figure to report, never the caller's problem.
            _shadows.Failed(shadow.Version);
            if (capture is not null) Capture(shadow.Version, "shadow", request, answered, null, capture, receivedAt, time.GetElapsedTime(started), "error", ex.Message);
        }
    }

    private void RecordPrediction(ModelVersionInfo entry, InferenceRequest request, ImmutableArray<TensorData> outputs, QualityConfig quality)
    {
        var output = quality.Output ?? entry.Signature!.Outputs[0].Name;
        PredictionExtractor.Record(predictions, Model, entry.Version, request, outputs, quality, output, time.GetUtcNow());
    }

    private void Capture(string version, string arm, InferenceRequest request, ImmutableArray<TensorData> outputs, BatchedOutputs? batched, CaptureConfig config,
        DateTimeOffset receivedAt, TimeSpan duration, string outcome, string? error) =>
        captures.Offer(new CapturedRequest(Model, version, arm, request, outputs, config, CaptureTrace.Current, receivedAt, duration, outcome, error)
        {
            QueueTime = batched?.QueueTime,
            ComputeTime = batched?.ComputeTime,
        });

    private void StartHousekeeping() =>
        _housekeeping ??= this.RegisterGrainTimer(Housekeeping, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true, KeepAlive = false });

    /// <summary>Every second: shadow comparisons to their statistics grains, bandit assignments to the bandit.</summary>
    private async Task Housekeeping(CancellationToken cancellationToken)
    {
        if (_assignments.Count > 0)
        {
            ImmutableArray<BanditAssignment> assignments = [.. _assignments];
            _assignments.Clear();
            try
            {
                await Bandit.Assign(assignments);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Feedback for these requests will find no assignment and be counted as unmatched.
                LogHousekeepingFailed(logger, Model, "bandit assignments", ex.Message);
            }
        }
        foreach (var (version, delta) in _shadows.TakeDeltas())
        {
            try
            {
                await GrainFactory.GetGrain<IShadowStatsGrain>(GrainKeys.Version(Model, version)).Push(delta);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Comparisons are statistics: losing one second of them beats blocking the router.
                LogHousekeepingFailed(logger, Model, $"shadow {version} comparisons", ex.Message);
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // What the last second saw would otherwise go with the activation.
        await Housekeeping(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router of {Model} could not deliver {What}: {Reason}")]
    private static partial void LogHousekeepingFailed(ILogger logger, string model, string what, string reason);

    public async Task<BatchingStats> GetBatchingStats(string? version)
    {
        var entry = await Resolve(version);
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

    private async Task<ModelVersionInfo> Resolve(string? version)
    {
        var fresh = _table is null || time.GetElapsedTime(_fetchedAt) > MaxStaleness;
        var info = fresh ? await Refresh() : _table!.Info;
        var entry = info.Resolve(version);
        // A missing version, or one that stopped serving, may only mean the cached table is stale (a hot swap).
        if ((entry is null || entry.Status != VersionStatus.Ready) && !fresh)
        {
            info = await Refresh();
            entry = info.Resolve(version);
        }
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{Model}'.");
        return entry ?? throw new ModelNotFoundException($"Model '{Model}' has no version or label '{version}'.");
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

    private async Task<ModelInfo> Refresh()
    {
        ModelInfo info;
        try
        {
            info = await GrainFactory.GetGrain<IModelGrain>(Model).GetInfo();
        }
        catch (Exception ex) when (_table is not null && Placement.SiloFailures.IsSiloLost(ex))
        {
            // The catalog's silo just died; until its grain re-activates elsewhere, a routing table a second old beats failing.
            info = _table.Info;
        }
        _table = new RoutingTable(info, await BanditProbabilities(info));
        _fetchedAt = time.GetTimestamp();
        return info;
    }
}
