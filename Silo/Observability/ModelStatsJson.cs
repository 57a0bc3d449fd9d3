using System.Text.Json.Serialization;
using Cluster.Inference;
using Cluster.Statistics;

namespace Cluster.Silo.Observability;

/// <summary>
/// A version's statistics in the shape of Triton's statistics extension (<c>model_stats</c>),
/// with the batch worker of the answering silo under <c>batching</c>.
/// </summary>
internal static class ModelStatsJson
{
    public static StatsBody Body(string model, string version, BatchingStats stats, VersionStatistics statistics) =>
        new([Version(model, version, stats, statistics)]);

    /// <summary>One version's entry of <c>model_stats</c>.</summary>
    public static VersionStatsBody Version(string model, string version, BatchingStats stats, VersionStatistics statistics)
    {
        var total = statistics.Total;
        // Triton's statistics extension: cumulative counts and durations in nanoseconds, merged across silos.
        var inference = new InferenceStatsBody(
            Duration(total.Success, total.Request.SumSeconds),
            Duration(total.Failure, 0),
            Duration(total.Queue.Count, total.Queue.SumSeconds),
            Duration(total.Compute.Count, total.Compute.SumSeconds));
        var latency = new LatencyWindowsBody(Window(statistics.LastMinute, 60), Window(statistics.Last15Minutes, 900), Window(statistics.LastHour, 3600));
        var batching = new BatchingBody(
            stats.Mode,
            stats.MaxBatchRows,
            (long)stats.QueueDelay.TotalMicroseconds,
            stats.LatencyTarget.TotalMilliseconds,
            stats.ObservedP95.TotalMilliseconds,
            stats.Queued,
            stats.InFlightBatches,
            stats.Requests,
            stats.Batches,
            stats.RowsComputed,
            stats.Batches == 0 ? 0 : (double)stats.RowsComputed / stats.Batches,
            stats.Rejected,
            stats.Expired,
            stats.Cancelled,
            stats.Failed,
            stats.Retried);
        return new VersionStatsBody(model, version, total.Rows, total.Batches, inference, latency, batching);
    }

    private static DurationBody Duration(long count, double seconds) => new(count, (long)(seconds * 1e9));

    private static WindowBody Window(StatsDelta window, int seconds) => new(
        window.Success + window.Failure,
        window.Failure,
        (window.Success + window.Failure) / (double)seconds,
        window.Request.Percentile(0.50) * 1e3,
        window.Request.Percentile(0.95) * 1e3,
        window.Request.Percentile(0.99) * 1e3,
        window.Queue.Percentile(0.99) * 1e3,
        window.Compute.Percentile(0.99) * 1e3,
        window.Batches == 0 ? 0 : (double)window.Rows / window.Batches);

    internal sealed record StatsBody(VersionStatsBody[] ModelStats);

    internal sealed record VersionStatsBody(string Name, string Version, long InferenceCount, long ExecutionCount, InferenceStatsBody InferenceStats, LatencyWindowsBody Latency, BatchingBody Batching);

    internal sealed record InferenceStatsBody(DurationBody Success, DurationBody Fail, DurationBody Queue, DurationBody ComputeInfer);

    internal sealed record DurationBody(long Count, long Ns);

    internal sealed record LatencyWindowsBody(
        [property: JsonPropertyName("1m")] WindowBody LastMinute,
        [property: JsonPropertyName("15m")] WindowBody Last15Minutes,
        [property: JsonPropertyName("1h")] WindowBody LastHour);

    internal sealed record WindowBody(
        long Requests,
        long Failures,
        double RequestsPerSecond,
        [property: JsonPropertyName("p50_ms")] double P50Ms,
        [property: JsonPropertyName("p95_ms")] double P95Ms,
        [property: JsonPropertyName("p99_ms")] double P99Ms,
        [property: JsonPropertyName("queue_p99_ms")] double QueueP99Ms,
        [property: JsonPropertyName("compute_p99_ms")] double ComputeP99Ms,
        double AverageBatchRows);

    internal sealed record BatchingBody(
        string Mode,
        int MaxBatchRows,
        [property: JsonPropertyName("queue_delay_us")] long QueueDelayUs,
        double LatencyTargetMs,
        [property: JsonPropertyName("observed_p95_ms")] double ObservedP95Ms,
        int Queued,
        int InFlightBatches,
        long Requests,
        long Batches,
        long RowsComputed,
        double AverageBatchRows,
        long Rejected,
        long Expired,
        long Cancelled,
        long Failed,
        long Retried);
}
