namespace Cluster.Inference;

/// <summary>What one batch worker is doing and why: its current settings and counters since activation.</summary>
/// <param name="Mode"><c>off</c>, <c>fixed</c> or <c>adaptive</c>.</param>
/// <param name="MaxBatchRows">Rows the worker puts in a batch now (tuned online in adaptive mode).</param>
/// <param name="QueueDelay">How long the oldest request may wait for a fuller batch now.</param>
/// <param name="LatencyTarget">The p95 target in adaptive mode; zero otherwise.</param>
/// <param name="ObservedP95">p95 of recent request latencies (queue + compute) the controller sees.</param>
/// <param name="Queued">Requests waiting now.</param>
/// <param name="InFlightBatches">Batches sent to replicas and not yet answered.</param>
/// <param name="Requests">Requests accepted.</param>
/// <param name="Batches">Batches completed.</param>
/// <param name="RowsComputed">Rows in completed batches.</param>
/// <param name="Rejected">Requests refused because the queue was full.</param>
/// <param name="Expired">Requests dropped because their deadline passed.</param>
/// <param name="Cancelled">Requests dropped because the caller went away.</param>
/// <param name="Failed">Requests whose batch failed.</param>
/// <param name="Retried">Batch runs sent again: to another replica after their replica's silo went away, or to a second replica too after theirs stayed silent (a hedge).</param>
[GenerateSerializer, Immutable, Alias("Cluster.BatchingStats")]
public sealed record BatchingStats(
    string Mode,
    int MaxBatchRows,
    TimeSpan QueueDelay,
    TimeSpan LatencyTarget,
    TimeSpan ObservedP95,
    int Queued,
    int InFlightBatches,
    long Requests,
    long Batches,
    long RowsComputed,
    long Rejected,
    long Expired,
    long Cancelled,
    long Failed,
    long Retried = 0);
