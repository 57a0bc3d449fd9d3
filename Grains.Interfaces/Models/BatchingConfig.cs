using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>
/// How a version's batch workers queue and join requests (the <c>dynamic_batching</c> block of
/// config.json). Without the block requests still queue, bounded, but each runs alone.
/// </summary>
/// <param name="Enabled">Join compatible requests into one batch.</param>
/// <param name="MaxQueueDelayMicroseconds">Fixed mode: how long the oldest request may wait for a fuller batch; 0 sends as soon as a replica is free.</param>
/// <param name="PreferredBatchSizes">Fixed mode: batch sizes (rows) worth sending at once without waiting out the delay.</param>
/// <param name="MaxQueueSize">Requests a worker holds before it refuses more (429); every queue is bounded.</param>
/// <param name="DefaultTimeoutMicroseconds">Deadline for requests that bring none; 0 means only the call timeout applies.</param>
/// <param name="LatencyTargetMs">Adaptive mode: the p95 latency to keep under; the worker then tunes batch size itself and never waits for a batch.</param>
[GenerateSerializer, Immutable, Alias("Cluster.BatchingConfig")]
public sealed record BatchingConfig(
    bool Enabled,
    long MaxQueueDelayMicroseconds,
    ImmutableArray<int> PreferredBatchSizes,
    int MaxQueueSize,
    long DefaultTimeoutMicroseconds,
    double LatencyTargetMs)
{
    /// <summary>Requests a worker queues when config.json does not say.</summary>
    public const int DefaultMaxQueueSize = 1024;

    /// <summary>No batching: each request runs alone, queue bounded by <see cref="DefaultMaxQueueSize"/>.</summary>
    public static BatchingConfig Off { get; } = new(false, 0, [], DefaultMaxQueueSize, 0, 0);

    /// <summary>True when a latency target drives batch size (adaptive mode).</summary>
    public bool IsAdaptive => Enabled && LatencyTargetMs > 0;
}
