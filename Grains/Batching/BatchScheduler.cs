using Cluster.Errors;
using Cluster.Inference;
using Cluster.Models;

namespace Cluster.Batching;

/// <summary>
/// The batch worker's decisions, apart from the grain: which requests are admitted, which expire,
/// which batch goes next to which replica, when to look again, when a version with no replica
/// needs a cold start, and what a failed batch becomes. Pure: it sees time only as the timestamps
/// it is given and touches nothing outside itself, so the grain only awaits what it decides.
/// </summary>
internal sealed class BatchScheduler(string model, string version, long timestampFrequency, long now)
{
    // One batch running and one waiting per replica hides the message round trip without hoarding work.
    public const int InFlightPerReplica = 2;
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    // After a cold start the caller's catalog copy may say 0 replicas for up to a refresh or two more.
    public static readonly TimeSpan ColdStartGrace = TimeSpan.FromSeconds(3);

    private readonly BatchQueue _queue = new();
    private readonly ReplicaBalancer _replicas = new();
    private readonly LoadMeter _load = new(now);
    private AdaptiveBatchController? _adaptive;
    private int _replicaCount = 1;
    private int _running;
    private bool _coldStarting;
    private int _coldStartReplicas;
    private long _coldStartDoneAt;
    private long _nextWake = long.MaxValue;
    private TimeSpan _slowestCompute;

    public ModelConfig Config { get; private set; } = ModelConfig.Default;

    public BatchingCounters Counters { get; } = new();

    public int Queued => _queue.Count;

    public int Running => _replicas.Total;

    /// <summary>Batches outstanding or requests waiting: a draining worker keeps going while this holds.</summary>
    public bool HasWork => _queue.Count > 0 || _replicas.Total > 0;

    /// <summary>Takes the settings and replica count each request brings (the caller's catalog copy).</summary>
    public void Configure(ModelConfig config, int replicas)
    {
        var sameBatching = BatchFormation.SameSettings(Config, config) && (_adaptive is not null) == config.Batching.IsAdaptive;
        // Settings other than batching (monitoring) may still have changed; the adaptive controller's learning survives only a same-batching update.
        Config = config;
        _replicaCount = replicas;
        if (sameBatching) return;
        _adaptive = config.Batching.IsAdaptive
            ? new AdaptiveBatchController(config.MaxBatchSize, TimeSpan.FromMilliseconds(config.Batching.LatencyTargetMs))
            : null;
    }

    /// <summary>Queues a request, or refuses it when the queue is full (429 with a retry hint).</summary>
    public PendingRequest Admit(InferenceRequest request, long now)
    {
        if (_queue.Count >= Config.Batching.MaxQueueSize)
        {
            Counters.Rejected++;
            throw new QueueFullException($"Model '{model}' version {version} has {_queue.Count} requests queued (max_queue_size); retry shortly.", RetryAfter);
        }
        var timeout = request.Timeout ?? DefaultTimeout(Config.Batching);
        var pending = new PendingRequest(request, PendingRequest.RowsOf(request), PendingRequest.KeyOf(request), now,
            timeout is { } t ? now + Ticks(t) : null);
        _queue.Enqueue(pending);
        Counters.Requests++;
        TrackLoad(now);
        return pending;
    }

    /// <summary>A caller gave up: its request leaves the queue if it has not been sent yet.</summary>
    public void Withdraw(PendingRequest pending, long now)
    {
        if (_queue.RemoveWhere(pending, static (queued, withdrawn) => ReferenceEquals(queued, withdrawn)).Count > 0) Counters.Cancelled++;
        TrackLoad(now);
    }

    /// <summary>
    /// Fails requests past their deadline, then takes batches while replicas have room. With no
    /// replica serving, asks once for a cold start; when a batch should wait to fill, names the time.
    /// </summary>
    public SchedulerStep Plan(long now)
    {
        DropExpired(now);
        var batches = new List<ScheduledBatch>();
        var replicas = ServingReplicas(now);
        if (replicas == 0)
        {
            var start = _queue.Count > 0 && !_coldStarting;
            _coldStarting |= start;
            return new(batches, start, null);
        }
        long? wake = null;
        var capacity = replicas * InFlightPerReplica;
        while (_queue.Count > 0 && _replicas.Total < capacity)
        {
            var decision = BatchFormation.Decide(Config.Batching, _queue, MaxRows, now, timestampFrequency);
            if (decision.WaitUntil is { } due)
            {
                wake = due;
                break;
            }
            var batch = _queue.TakeBatch(decision.Rows);
            _running += batch.Count;
            batches.Add(new ScheduledBatch(batch, _replicas.Acquire(replicas)));
        }
        if (_queue.EarliestDeadline() is { } deadline && (wake is null || deadline < wake)) wake = deadline;
        return new(batches, false, Wake(wake));
    }

    /// <summary>The wake-up at <paramref name="at"/> came: the next plan may ask for another.</summary>
    public void Woke(long at)
    {
        if (_nextWake == at) _nextWake = long.MaxValue;
    }

    /// <summary>
    /// After run <paramref name="attempt"/> of a batch on <paramref name="replica"/> failed because that replica's silo is gone:
    /// the replica to run it on next (its slot moves there) and the pause before, or null when the tries are spent.
    /// </summary>
    public (int Replica, TimeSpan Pause)? AfterSiloLoss(int replica, int attempt, long now)
    {
        if (BatchFailurePolicy.AfterSiloLoss(attempt, replica, ServingReplicas(now)) is not { } next) return null;
        _replicas.Move(replica, next.Replica);
        Counters.Retried++;
        return next;
    }

    /// <summary>How long a batch's replica may stay silent before a second replica is sent the batch too; null for never.</summary>
    public TimeSpan? HedgeAfter => BatchFailurePolicy.HedgeAfter(_slowestCompute);

    /// <summary>
    /// A batch's replica <paramref name="silent"/> has not answered in <see cref="HedgeAfter"/>: the replica to send it to as
    /// well (counted on it until that run ends, see <see cref="Release"/>), or null when no other replica serves.
    /// </summary>
    public int? Hedge(int silent, long now)
    {
        if (_replicas.AcquireOther(ServingReplicas(now), silent) is not { } other) return null;
        Counters.Retried++;
        return other;
    }

    /// <summary>A run that lost a hedged batch's race ended: its replica may take another batch.</summary>
    public void Release(int replica) => _replicas.Release(replica);

    /// <summary>A batch came back with outputs (already handed to its callers): frees its replica and feeds the adaptive controller.</summary>
    public void Completed(ScheduledBatch batch, int rows, TimeSpan compute, long now)
    {
        foreach (var pending in batch.Requests) _adaptive?.OnRequest(Elapsed(pending.EnqueuedAt, now));
        _adaptive?.OnBatch(rows, compute);
        // Rises at once with a slow batch, then falls back toward recent ones, so one slow batch long ago does not delay hedges for ever.
        _slowestCompute = compute >= _slowestCompute ? compute : _slowestCompute - (_slowestCompute - compute) / 32;
        Counters.Batches++;
        Counters.RowsComputed += rows;
        Finish(batch, batch.Requests.Count, now);
    }

    /// <summary>
    /// A batch failed (silo losses already retried): frees its replica and applies the retry rule.
    /// Failed requests are completed with <paramref name="error"/>; requeued ones go first in the queue;
    /// for <see cref="BatchFailureAction.RunAlone"/> the worker runs each request through <see cref="Alone"/>.
    /// </summary>
    public BatchFailureAction Failed(ScheduledBatch batch, Exception error, long now)
    {
        var requests = batch.Requests;
        var action = BatchFailurePolicy.Decide(error, requests.Count, requests.Max(p => p.Retries));
        switch (action)
        {
            case BatchFailureAction.Requeue:
                var serving = ((ReplicaRetiredException)error).ReplicasServing;
                _replicaCount = Math.Min(_replicaCount, serving);
                _coldStartReplicas = Math.Min(_coldStartReplicas, serving);
                foreach (var pending in requests) pending.Retries++;
                _queue.EnqueueFirst(requests);
                Counters.Retried++;
                Finish(batch, requests.Count, now);
                break;
            case BatchFailureAction.RunAlone:
                // The requests stay running: each finishes through its own batch from Alone.
                Finish(batch, 0, now);
                break;
            default:
                Counters.Failed += requests.Count;
                foreach (var pending in requests) pending.Completion.TrySetException(error);
                Finish(batch, requests.Count, now);
                break;
        }
        return action;
    }

    /// <summary>A batch of one request out of a batch that failed, on a replica of its own.</summary>
    public ScheduledBatch Alone(PendingRequest pending, long now) => new([pending], _replicas.Acquire(Math.Max(1, ServingReplicas(now))));

    /// <summary>A cold start brought up <paramref name="replicas"/>: use them until callers' catalog copies catch up.</summary>
    public void ColdStarted(int replicas, long now)
    {
        _coldStarting = false;
        _coldStartReplicas = replicas;
        _coldStartDoneAt = now;
    }

    /// <summary>A cold start failed: every queued request fails with <paramref name="failure"/>.</summary>
    public void ColdStartFailed(Exception failure, long now)
    {
        _coldStarting = false;
        FailQueued(failure, now);
    }

    /// <summary>Fails every queued request (the worker is leaving, or no replica could be started).</summary>
    public void FailQueued(Exception failure, long now)
    {
        foreach (var pending in _queue.RemoveWhere(_ => true))
        {
            Counters.Failed++;
            pending.Completion.TrySetException(failure);
        }
        TrackLoad(now);
    }

    /// <summary>Replicas to spread batches over: the caller's count, or what a cold start just brought up while callers still say 0.</summary>
    public int ServingReplicas(long now)
    {
        if (_replicaCount > 0) return _replicaCount;
        return _coldStartReplicas > 0 && Elapsed(_coldStartDoneAt, now) < ColdStartGrace ? _coldStartReplicas : 0;
    }

    /// <summary>Mean of ongoing requests (queued or running) since the last call.</summary>
    public double TakeAverageLoad(long now) => _load.TakeAverage(now);

    public int MaxRows => BatchFormation.MaxRows(Config, _adaptive);

    public TimeSpan ObservedP95 => _adaptive?.ObservedP95 ?? TimeSpan.Zero;

    public TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((double)(to - from) / timestampFrequency);

    private void Finish(ScheduledBatch batch, int requestsDone, long now)
    {
        _replicas.Release(batch.Replica);
        _running -= requestsDone;
        TrackLoad(now);
    }

    private void DropExpired(long now)
    {
        var dropped = _queue.RemoveWhere(now, static (pending, now) => pending.IsDone || pending.DeadlineAt <= now);
        if (dropped.Count == 0) return;
        TrackLoad(now);
        foreach (var pending in dropped)
        {
            if (pending.IsDone)
            {
                Counters.Cancelled++;
                continue;
            }
            Counters.Expired++;
            pending.Completion.TrySetException(new DeadlineExceededException(
                $"Request to model '{model}' version {version} waited {Elapsed(pending.EnqueuedAt, now).TotalMilliseconds:F1} ms, past its deadline, and was dropped before compute."));
        }
    }

    // Only a wake-up earlier than the one already set needs a timer of its own.
    private long? Wake(long? at)
    {
        if (at is not { } time || time >= _nextWake) return null;
        _nextWake = time;
        return time;
    }

    private void TrackLoad(long now) => _load.Set(now, _queue.Count + _running);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * timestampFrequency);

    private static TimeSpan? DefaultTimeout(BatchingConfig batching) =>
        batching.DefaultTimeoutMicroseconds > 0 ? TimeSpan.FromMicroseconds(batching.DefaultTimeoutMicroseconds) : null;
}
