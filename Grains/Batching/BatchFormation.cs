using Cluster.Models;

namespace Cluster.Batching;

/// <summary>
/// When a worker sends a batch and how many rows it holds. Without batching, or for a model with
/// a fixed batch dimension, each request runs alone. Adaptive mode and fixed mode with no delay
/// send as soon as a replica has room, so batches form only from requests that queued meanwhile.
/// Fixed mode with a delay waits until the rows reach the largest preferred size (or the maximum),
/// or until the oldest request has waited the delay; then it sends the largest preferred size
/// that the queue fills, or everything that fits.
/// </summary>
internal static class BatchFormation
{
    public readonly record struct Decision(int Rows, long? WaitUntil);

    public static int MaxRows(ModelConfig config, AdaptiveBatchController? adaptive)
    {
        if (!config.Batching.Enabled || config.MaxBatchSize == 0) return 1;
        return adaptive?.MaxBatchRows ?? config.MaxBatchSize;
    }

    public static Decision Decide(BatchingConfig batching, BatchQueue queue, int maxRows, long now, long timestampFrequency)
    {
        if (!batching.Enabled || batching.IsAdaptive || batching.MaxQueueDelayMicroseconds == 0 || maxRows == 1) return new(maxRows, null);
        var rows = queue.CompatibleRows(maxRows);
        var preferred = batching.PreferredBatchSizes;
        var largestPreferred = preferred.IsDefaultOrEmpty ? maxRows : Math.Min(preferred[^1], maxRows);
        if (rows >= largestPreferred) return new(largestPreferred, null);
        var due = queue.Oldest!.EnqueuedAt + batching.MaxQueueDelayMicroseconds * timestampFrequency / 1_000_000;
        if (now < due) return new(0, due);
        var fill = preferred.IsDefaultOrEmpty ? maxRows : preferred.LastOrDefault(size => size <= rows, maxRows);
        return new(fill, null);
    }

    /// <summary>True when two configs batch alike (configs arrive as fresh copies, so compare values).</summary>
    public static bool SameSettings(ModelConfig a, ModelConfig b)
    {
        var x = a.Batching;
        var y = b.Batching;
        return a.MaxBatchSize == b.MaxBatchSize && a.Replicas == b.Replicas
            && x.Enabled == y.Enabled && x.MaxQueueDelayMicroseconds == y.MaxQueueDelayMicroseconds
            && x.MaxQueueSize == y.MaxQueueSize && x.DefaultTimeoutMicroseconds == y.DefaultTimeoutMicroseconds
            && x.LatencyTargetMs.Equals(y.LatencyTargetMs) && x.PreferredBatchSizes.AsSpan().SequenceEqual(y.PreferredBatchSizes.AsSpan());
    }
}
