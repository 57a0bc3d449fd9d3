using Cluster.Errors;

namespace Cluster.Batching;

/// <summary>What a batch worker does with a batch whose run failed.</summary>
public enum BatchFailureAction
{
    /// <summary>Fail every request of the batch with the error.</summary>
    Fail,

    /// <summary>Put the batch back at the head of the queue: it reached a replica its version no longer serves.</summary>
    Requeue,

    /// <summary>Run each request alone, so only the one that breaks the model fails.</summary>
    RunAlone,
}

/// <summary>The batch worker's retry rule, apart from the grain: which failures are retried, where, and after what pause.</summary>
public static class BatchFailurePolicy
{
    /// <summary>Runs of one batch after its replica's silo went away, beyond the first.</summary>
    public const int MaxSiloLossRetries = 4;

    /// <summary>Times a request may be sent round again after reaching a retired replica.</summary>
    public const int MaxRetiredRetries = 3;

    /// <summary>The pause before the first silo-loss retry; the n-th waits n times as long.</summary>
    public static readonly TimeSpan SiloLossPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// After run <paramref name="attempt"/> (0 for the first) on <paramref name="replica"/> failed because
    /// its silo is gone: the replica to run on next and the pause before it, or null when the tries are
    /// spent. Inference is idempotent, so running again is safe; a lost replica re-activates on a
    /// surviving silo, and one on a silo that is shutting down answers "unavailable" until it has left,
    /// hence the growing pause.
    /// </summary>
    public static (int Replica, TimeSpan Pause)? AfterSiloLoss(int attempt, int replica, int servingReplicas) =>
        attempt >= MaxSiloLossRetries ? null : (servingReplicas > 1 ? (replica + 1) % servingReplicas : replica, SiloLossPause * (attempt + 1));

    /// <summary>No batch is hedged sooner than this: a replica's queue, a pause for garbage collection or a cold load may hold a healthy one that long.</summary>
    public static readonly TimeSpan HedgeFloor = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A second replica sent a batch later than this would not answer before the caller's own call to the router
    /// gives up (Orleans' response timeout, 30 s), so no hedge is sent then.
    /// </summary>
    public static readonly TimeSpan HedgeCeiling = TimeSpan.FromSeconds(20);

    /// <summary>How many times the slowest recent compute a replica may take before its batch is hedged.</summary>
    public const int HedgeSlowestMultiple = 10;

    /// <summary>
    /// How long a replica may take to answer a batch before a second replica is sent it too, given the slowest
    /// compute of recent batches; null when that comes too late to help. A replica that stays silent that long
    /// is not computing: its message was lost, or its silo is frozen and not yet voted dead. Orleans breaks a call
    /// only when the callee's silo is declared dead, or after its response timeout, which equals the caller's.
    /// </summary>
    public static TimeSpan? HedgeAfter(TimeSpan slowestRecentCompute)
    {
        var after = TimeSpan.FromTicks(Math.Max(HedgeFloor.Ticks, slowestRecentCompute.Ticks * HedgeSlowestMultiple));
        return after <= HedgeCeiling ? after : null;
    }

    /// <summary>What to do with a batch of <paramref name="batchSize"/> requests whose run failed with <paramref name="error"/> (silo losses already retried).</summary>
    public static BatchFailureAction Decide(Exception error, int batchSize, int mostRetries) => error switch
    {
        // Sent on a catalog copy a moment old: send again over the replicas that serve now (none: a cold start).
        ReplicaRetiredException when mostRetries < MaxRetiredRetries => BatchFailureAction.Requeue,
        // One bad request must not fail its neighbours.
        InferenceFailedException when batchSize > 1 => BatchFailureAction.RunAlone,
        _ => BatchFailureAction.Fail,
    };
}
