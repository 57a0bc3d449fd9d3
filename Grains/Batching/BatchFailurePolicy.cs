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
