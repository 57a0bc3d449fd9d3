using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Placement;
using Cluster.Statistics;
using Cluster.Telemetry;
using Microsoft.Extensions.Logging;
using Cluster.Tensors;

namespace Cluster.Batching;

/// <summary>
/// Queues requests of one version on this silo and sends them to replicas as batches. One
/// activation per silo and version ([StatelessWorker(1)]) so that all of the silo's requests can
/// share batches, kept after a burst (Orleans removes idle workers by default, which would drop the
/// adaptive controller's learning and the counters with the activation); reentrant, so callers wait for their batch, not for each other's turns.
/// Every queue is bounded (429 when full), every request may carry a deadline (504 when it passes
/// before compute), and a caller that cancels is dropped before compute.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
public sealed partial class BatchWorkerGrain(TimeProvider time, InferenceInstruments instruments, TritonMetrics triton, ILocalSiloDetails silo, ILogger<BatchWorkerGrain> logger) : Grain, IBatchWorkerGrain
{
    // One batch running and one waiting per replica hides the message round trip without hoarding work.
    private const int InFlightPerReplica = 2;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    // After a cold start the caller's catalog copy may say 0 replicas for up to a refresh or two more.
    private static readonly TimeSpan ColdStartGrace = TimeSpan.FromSeconds(3);

    private readonly BatchQueue _queue = new();
    private readonly ReplicaBalancer _replicas = new();
    private readonly BatchingCounters _counters = new();
    private ModelConfig _config = ModelConfig.Default;
    private AdaptiveBatchController? _adaptive;
    private long _nextWake = long.MaxValue;
    private string _model = "";
    private string _version = "";
    private IDisposable? _gauges;
    private IReplicaGrain[] _replicaGrains = [];
    private readonly StatsCollector _stats = new();
    private IModelStatsGrain? _statsGrain;
    private IAutoscalerGrain? _autoscaler;
    private LoadMeter _load = null!;
    private int _replicaCount = 1;
    private int _running;
    private Task? _coldStart;
    private int _coldStartReplicas;
    private long _coldStartDoneAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_model, _version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _gauges = instruments.TrackBatching(_model, _version, Snapshot);
        _statsGrain = GrainFactory.GetGrain<IModelStatsGrain>(GrainKeys.Version(_model, _version));
        _autoscaler = GrainFactory.GetGrain<IAutoscalerGrain>(GrainKeys.Version(_model, _version));
        _load = new LoadMeter(time.GetTimestamp());
        // Summaries, not samples, travel to the stats grain: once a second, and only when something happened.
        this.RegisterGrainTimer(PushStats, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    /// <summary>Drains: queued requests still run while the silo leaves (bounded by Orleans' deactivation timeout).</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            while ((_queue.Count > 0 || _replicas.Total > 0) && !cancellationToken.IsCancellationRequested)
            {
                Pump();
                await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: what is left is failed below, retryably.
        }
        _gauges?.Dispose();
        await PushStats(CancellationToken.None);
        foreach (var pending in _queue.RemoveWhere(_ => true))
        {
            pending.Completion.TrySetException(new InferenceFailedException($"The batch worker of {_model} version {_version} shut down; retry the request."));
        }
    }

    public async Task<ImmutableArray<TensorData>> Infer(InferenceRequest request, ModelConfig config, int replicas, CancellationToken cancellationToken)
    {
        Configure(config);
        _replicaCount = replicas;
        cancellationToken.ThrowIfCancellationRequested();
        if (_queue.Count >= config.Batching.MaxQueueSize)
        {
            _counters.Rejected++;
            throw new QueueFullException($"Model '{_model}' version {_version} has {_queue.Count} requests queued (max_queue_size); retry shortly.", RetryAfter);
        }
        var now = time.GetTimestamp();
        var timeout = request.Timeout ?? DefaultTimeout(config.Batching);
        var pending = new PendingRequest(request, PendingRequest.RowsOf(request), PendingRequest.KeyOf(request), now,
            timeout is { } t ? now + (long)(t.TotalSeconds * time.TimestampFrequency) : null);
        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.Register(static p => ((PendingRequest)p!).Completion.TrySetCanceled(), pending);
        }
        _queue.Enqueue(pending);
        _counters.Requests++;
        TrackLoad();
        Pump();
        try
        {
            return await pending.Completion.Task;
        }
        catch (OperationCanceledException)
        {
            if (_queue.RemoveWhere(p => ReferenceEquals(p, pending)).Count > 0) _counters.Cancelled++;
            TrackLoad();
            throw;
        }
        finally
        {
            pending.Cancellation.Dispose();
        }
    }

    public Task<BatchingStats> GetStats() => Task.FromResult(Snapshot());

    /// <summary>Sends batches while replicas have room, or schedules a wake-up when a batch should wait.</summary>
    private void Pump()
    {
        var now = time.GetTimestamp();
        DropExpired(now);
        var replicas = ServingReplicas();
        if (replicas == 0)
        {
            if (_queue.Count > 0) _coldStart ??= ColdStart();
            return;
        }
        var capacity = replicas * InFlightPerReplica;
        while (_queue.Count > 0 && _replicas.Total < capacity)
        {
            var maxRows = BatchFormation.MaxRows(_config, _adaptive);
            var decision = BatchFormation.Decide(_config.Batching, _queue, maxRows, now, time.TimestampFrequency);
            if (decision.WaitUntil is { } wake)
            {
                ScheduleWake(wake);
                break;
            }
            var batch = _queue.TakeBatch(decision.Rows);
            foreach (var pending in batch)
            {
                var waited = Elapsed(pending.EnqueuedAt, now);
                instruments.RecordQueueWait(_model, _version, waited);
                if (Recording) _stats.RecordQueueWait(waited);
            }
            Dispatch(batch);
        }
        if (_queue.EarliestDeadline() is { } deadline) ScheduleWake(deadline);
    }

    // Dispatch runs without being awaited so Pump can fill every replica; RunBatch completes every caller itself and never throws.
    private void Dispatch(List<PendingRequest> batch)
    {
        _running += batch.Count;
        _ = RunAndRelease(batch);
    }

    private async Task RunAndRelease(List<PendingRequest> batch)
    {
        await RunBatch(batch);
        _running -= batch.Count;
        TrackLoad();
        Pump();
    }

    private async Task RunBatch(List<PendingRequest> batch)
    {
        var replica = _replicas.Acquire(ServingReplicas());
        var retryAlone = false;
        try
        {
            var joined = BatchAssembler.Join(batch.ConvertAll(p => p.Request));
            ReplicaBatchResult result;
            var target = replica;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    result = await Replica(target).Run(joined);
                    break;
                }
                catch (Exception ex) when (SiloFailures.IsSiloLost(ex) && BatchFailurePolicy.AfterSiloLoss(attempt, target, ServingReplicas()) is { } next)
                {
                    target = next.Replica;
                    _counters.Retried++;
                    await Task.Delay(next.Pause, time);
                }
            }
            var outputs = BatchAssembler.Split(result.Outputs, joined.RowCounts);
            var done = time.GetTimestamp();
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(outputs[i]);
                var latency = Elapsed(batch[i].EnqueuedAt, done);
                _adaptive?.OnRequest(latency);
                if (Recording) _stats.RecordSuccess(latency);
            }
            var rows = joined.RowCounts.Sum();
            if (Recording)
            {
                _stats.RecordBatch(rows, result.ComputeTime);
                _stats.RecordOutputs(result.Outputs);
                if (Monitoring.ReferenceRows > 0) _stats.RecordInputs(joined.Inputs, rows);
            }
            _adaptive?.OnBatch(rows, result.ComputeTime);
            _counters.Batches++;
            _counters.RowsComputed += rows;
        }
        catch (Exception ex)
        {
            switch (BatchFailurePolicy.Decide(ex, batch.Count, batch.Max(p => p.Retries)))
            {
                case BatchFailureAction.Requeue:
                    var serving = ((ReplicaRetiredException)ex).ReplicasServing;
                    _replicaCount = Math.Min(_replicaCount, serving);
                    if (_coldStartReplicas > serving) _coldStartReplicas = serving;
                    foreach (var pending in batch) pending.Retries++;
                    _queue.EnqueueFirst(batch);
                    _counters.Retried++;
                    break;
                case BatchFailureAction.RunAlone:
                    retryAlone = true;
                    break;
                default:
                    _counters.Failed += batch.Count;
                    if (Recording) _stats.RecordFailures(batch.Count);
                    foreach (var pending in batch) pending.Completion.TrySetException(ex);
                    break;
            }
        }
        finally
        {
            _replicas.Release(replica);
        }
        if (retryAlone)
        {
            foreach (var pending in batch) await RunBatch([pending]);
        }
    }

    // GetGrain reflects over the interface on every call in Orleans 10.4.2; references are reusable, so keep them.
    private IReplicaGrain Replica(int index)
    {
        if (index >= _replicaGrains.Length) Array.Resize(ref _replicaGrains, index + 1);
        return _replicaGrains[index] ??= GrainFactory.GetGrain<IReplicaGrain>(GrainKeys.Replica(_model, _version, index));
    }

    private void DropExpired(long now)
    {
        var dropped = _queue.RemoveWhere(p => p.IsDone || p.DeadlineAt <= now);
        if (dropped.Count > 0) TrackLoad();
        foreach (var pending in dropped)
        {
            if (pending.IsDone)
            {
                _counters.Cancelled++;
                continue;
            }
            _counters.Expired++;
            pending.Completion.TrySetException(new DeadlineExceededException(
                $"Request to model '{_model}' version {_version} waited {Elapsed(pending.EnqueuedAt, now).TotalMilliseconds:F1} ms, past its deadline, and was dropped before compute."));
        }
    }

    private void ScheduleWake(long at)
    {
        if (at >= _nextWake) return;
        _nextWake = at;
        _ = Wake(at);
    }

    private async Task Wake(long at)
    {
        var delay = Elapsed(time.GetTimestamp(), at);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, time);
        if (_nextWake == at) _nextWake = long.MaxValue;
        Pump();
    }

    private TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((double)(to - from) / time.TimestampFrequency);
}
