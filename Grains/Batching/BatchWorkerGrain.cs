using System.Collections.Immutable;
using System.Diagnostics;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Placement;
using Cluster.Scaling;
using Cluster.Statistics;
using Cluster.Telemetry;
using Cluster.Tensors;
using Microsoft.Extensions.Logging;

namespace Cluster.Batching;

/// <summary>
/// Queues requests of one version on this silo and sends them to replicas as batches. One
/// activation per silo and version ([StatelessWorker(1)]) so that all of the silo's requests can
/// share batches, kept after a burst (Orleans removes idle workers by default, which would drop the
/// adaptive controller's learning and the counters with the activation); reentrant, so callers wait
/// for their batch, not for each other's turns. Every decision is the <see cref="BatchScheduler"/>'s;
/// the grain carries them out (awaits replicas, timers, the autoscaler) and reports statistics.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
public sealed partial class BatchWorkerGrain(TimeProvider time, InferenceInstruments instruments, TritonMetrics triton, ILocalSiloDetails silo, ILogger<BatchWorkerGrain> logger) : Grain, IBatchWorkerGrain
{
    private readonly StatsCollector _stats = new();
    private BatchScheduler _scheduler = null!;
    private string _model = "";
    private string _version = "";
    private IDisposable? _gauges;
    private IReplicaGrain[] _replicaGrains = [];
    private IModelStatsGrain _statsGrain = null!;
    private IAutoscalerGrain _autoscaler = null!;

    private MonitoringConfig Monitoring => _scheduler.Config.Monitoring ?? MonitoringConfig.Default;

    private bool Recording => Monitoring.Statistics;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_model, _version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _scheduler = new BatchScheduler(_model, _version, time.TimestampFrequency, time.GetTimestamp());
        _gauges = instruments.TrackBatching(_model, _version, Snapshot);
        _statsGrain = GrainFactory.GetGrain<IModelStatsGrain>(GrainKeys.Version(_model, _version));
        _autoscaler = GrainFactory.GetGrain<IAutoscalerGrain>(GrainKeys.Version(_model, _version));
        // Summaries, not samples, travel to the stats grain: once a second, and only when something happened.
        this.RegisterGrainTimer(PushStats, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    /// <summary>Drains: queued requests still run while the silo leaves (bounded by Orleans' deactivation timeout).</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            while (_scheduler.HasWork && !cancellationToken.IsCancellationRequested)
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
        _scheduler.FailQueued(new InferenceFailedException($"The batch worker of {_model} version {_version} shut down; retry the request."), time.GetTimestamp());
    }

    public async Task<BatchedOutputs> Infer(InferenceRequest request, ModelConfig config, int replicas, CancellationToken cancellationToken)
    {
        _scheduler.Configure(config, replicas);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = _scheduler.Admit(request, time.GetTimestamp());
        pending.Trace = Activity.Current?.Context ?? default;
        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.Register(static p => ((PendingRequest)p!).Completion.TrySetCanceled(), pending);
        }
        Pump();
        try
        {
            return await pending.Completion.Task;
        }
        catch (OperationCanceledException)
        {
            _scheduler.Withdraw(pending, time.GetTimestamp());
            throw;
        }
        finally
        {
            pending.Cancellation.Dispose();
        }
    }

    public Task<BatchingStats> GetStats() => Task.FromResult(Snapshot());

    /// <summary>Carries out the scheduler's plan: runs its batches, starts replicas, or sets a wake-up.</summary>
    private void Pump()
    {
        var now = time.GetTimestamp();
        var step = _scheduler.Plan(now);
        foreach (var batch in step.Batches)
        {
            foreach (var pending in batch.Requests)
            {
                var waited = _scheduler.Elapsed(pending.EnqueuedAt, now);
                pending.QueueTime = waited;
                instruments.RecordQueueWait(_model, _version, waited);
                if (Recording) _stats.RecordQueueWait(waited);
                BatchTracing.RecordQueueWait(pending.Trace, _model, _version, time, waited);
            }
            // Not awaited, so every replica with room gets a batch; Run completes every caller itself and never throws.
            _ = RunThenPump(batch);
        }
        if (step.StartColdStart) _ = ColdStart();
        if (step.WakeAt is { } at) _ = Wake(at);
    }

    private async Task RunThenPump(ScheduledBatch batch)
    {
        await Run(batch);
        Pump();
    }

    private async Task Run(ScheduledBatch batch)
    {
        using var span = BatchTracing.StartBatch(batch, _model, _version);
        try
        {
            var joined = BatchAssembler.Join(batch.Requests.ConvertAll(p => p.Request));
            var rows = joined.Rows;
            span?.SetTag("cluster.batch.rows", rows);
            var (result, hedged) = await Answer(batch, joined);
            var outputs = BatchAssembler.Split(result.Outputs, joined.RowCounts);
            var done = time.GetTimestamp();
            // Before the callers hear back: a caller returns its input arrays for reuse once answered, and the drift profile reads them.
            if (Recording) RecordBatch(batch, joined, result, rows, done);
            // A hedged batch's other run may still read the joined arrays, so the GC takes them instead of the pool.
            if (!hedged) BatchAssembler.Release(joined);
            for (var i = 0; i < batch.Requests.Count; i++)
            {
                var pending = batch.Requests[i];
                pending.Completion.TrySetResult(new BatchedOutputs(outputs[i], pending.QueueTime, result.ComputeTime));
            }
            _scheduler.Completed(batch, rows, result.ComputeTime, done);
        }
        catch (Exception ex)
        {
            span.Fail(ex);
            var action = _scheduler.Failed(batch, ex, time.GetTimestamp());
            if (action == BatchFailureAction.Fail && Recording) _stats.RecordFailures(batch.Requests.Count);
            if (action != BatchFailureAction.RunAlone) return;
            foreach (var pending in batch.Requests) await Run(_scheduler.Alone(pending, time.GetTimestamp()));
        }
    }

    private void RecordBatch(ScheduledBatch batch, ReplicaBatch joined, ReplicaBatchResult result, int rows, long done)
    {
        foreach (var pending in batch.Requests) _stats.RecordSuccess(_scheduler.Elapsed(pending.EnqueuedAt, done));
        _stats.RecordBatch(rows, result.ComputeTime);
        _stats.RecordOutputs(result.Outputs);
        if (Monitoring.ReferenceRows > 0) _stats.RecordInputs(joined.Inputs, rows);
    }

    /// <summary>
    /// The version has no replica serving (scaled to zero or evicted): ask its autoscaler to bring
    /// some up while the requests wait in the queue (their deadlines still apply).
    /// </summary>
    private async Task ColdStart()
    {
        var started = time.GetTimestamp();
        try
        {
            var replicas = await _autoscaler.Demand();
            var done = time.GetTimestamp();
            _scheduler.ColdStarted(replicas, done);
            var took = _scheduler.Elapsed(started, done);
            instruments.RecordColdStart(_model, _version, took);
            LogColdStart(logger, _model, _version, replicas, took.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            var failure = ex as InferenceException ?? new ModelNotReadyException($"Model '{_model}' version {_version} has no replica serving and could not start one: {ex.Message}");
            _scheduler.ColdStartFailed(failure, time.GetTimestamp());
        }
        Pump();
    }

    private async Task Wake(long at)
    {
        var delay = _scheduler.Elapsed(time.GetTimestamp(), at);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, time);
        _scheduler.Woke(at);
        Pump();
    }

    // GetGrain reflects over the interface on every call in Orleans 10.4.2; references are reusable, so keep them.
    private IReplicaGrain Replica(int index)
    {
        if (index >= _replicaGrains.Length) Array.Resize(ref _replicaGrains, index + 1);
        return _replicaGrains[index] ??= GrainFactory.GetGrain<IReplicaGrain>(GrainKeys.Replica(_model, _version, index));
    }

    /// <summary>Once a second: statistics to the version's stats grain.</summary>
    private async Task PushStats(CancellationToken cancellationToken)
    {
        await ReportLoad();
        var delta = _stats.TakeDelta();
        if (delta.IsEmpty) return;
        triton.Add(_model, _version, delta);
        try
        {
            _stats.UseBinning(await _statsGrain.Push(delta, Monitoring));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // Statistics are best effort: a lost summary must never fail or slow inference.
            LogStatsPushFailed(logger, _model, _version, ex.Message);
        }
    }

    /// <summary>Tells the version's autoscaler what this silo saw in the last second; only versions with autoscaling pay for it.</summary>
    private async Task ReportLoad()
    {
        var average = _scheduler.TakeAverageLoad(time.GetTimestamp());
        if (_scheduler.Config.Autoscaling is null) return;
        try
        {
            await _autoscaler.Report(silo.SiloAddress.ToString(), new LoadReport(average, _scheduler.Queued, _scheduler.Running, _scheduler.Counters.Requests));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // A lost report only delays a scaling decision; the next one follows in a second.
            LogStatsPushFailed(logger, _model, _version, ex.Message);
        }
    }

    private BatchingStats Snapshot()
    {
        var config = _scheduler.Config;
        var batching = config.Batching;
        var counters = _scheduler.Counters;
        var mode = !batching.Enabled || config.MaxBatchSize == 0 ? "off" : batching.IsAdaptive ? "adaptive" : "fixed";
        return new BatchingStats(
            mode,
            _scheduler.MaxRows,
            TimeSpan.FromMicroseconds(batching.IsAdaptive ? 0 : batching.MaxQueueDelayMicroseconds),
            TimeSpan.FromMilliseconds(batching.LatencyTargetMs),
            _scheduler.ObservedP95,
            _scheduler.Queued,
            _scheduler.Running,
            counters.Requests,
            counters.Batches,
            counters.RowsComputed,
            counters.Rejected,
            counters.Expired,
            counters.Cancelled,
            counters.Failed,
            counters.Retried);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} had no replica: cold start brought up {Replicas} in {Milliseconds:F0} ms")]
    private static partial void LogColdStart(ILogger logger, string model, string version, int replicas, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics of {Model} version {Version} were not delivered: {Reason}")]
    private static partial void LogStatsPushFailed(ILogger logger, string model, string version, string reason);
}
