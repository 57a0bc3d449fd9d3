namespace Cluster.Batching;

/// <summary>
/// A batch chosen to run, and the replica whose slot it holds: the one it runs on, another once that replica's silo goes
/// away, or the one that answered first when it was hedged.
/// </summary>
internal sealed class ScheduledBatch(List<PendingRequest> requests, int replica)
{
    public List<PendingRequest> Requests { get; } = requests;

    public int Replica { get; set; } = replica;
}

/// <summary>What the worker must do after <see cref="BatchScheduler.Plan"/>: run batches, start replicas, or wake later.</summary>
internal readonly record struct SchedulerStep(List<ScheduledBatch> Batches, bool StartColdStart, long? WakeAt);
