using System.Text.Json;
using Cluster.Inference;
using Cluster.Statistics;

namespace Cluster.Silo.Observability;

/// <summary>
/// Writes a version's statistics in the shape of Triton's statistics extension
/// (<c>model_stats</c>), with the batch worker of the answering silo under <c>batching</c>.
/// </summary>
internal static class ModelStatsJsonWriter
{
    public static void Write(Utf8JsonWriter writer, string model, string version, BatchingStats stats, VersionStatistics statistics)
    {
        var total = statistics.Total;
        writer.WriteStartObject();
        writer.WriteStartArray("model_stats");
        writer.WriteStartObject();
        writer.WriteString("name", model);
        writer.WriteString("version", version);
        writer.WriteNumber("inference_count", total.Rows);
        writer.WriteNumber("execution_count", total.Batches);
        // Triton's statistics extension: cumulative counts and durations in nanoseconds, merged across silos.
        writer.WriteStartObject("inference_stats");
        Duration(writer, "success", total.Success, total.Request.SumSeconds);
        Duration(writer, "fail", total.Failure, 0);
        Duration(writer, "queue", total.Queue.Count, total.Queue.SumSeconds);
        Duration(writer, "compute_infer", total.Compute.Count, total.Compute.SumSeconds);
        writer.WriteEndObject();
        writer.WriteStartObject("latency");
        Window(writer, "1m", statistics.LastMinute, 60);
        Window(writer, "15m", statistics.Last15Minutes, 900);
        Window(writer, "1h", statistics.LastHour, 3600);
        writer.WriteEndObject();
        writer.WriteStartObject("batching");
        writer.WriteString("mode", stats.Mode);
        writer.WriteNumber("max_batch_rows", stats.MaxBatchRows);
        writer.WriteNumber("queue_delay_us", (long)stats.QueueDelay.TotalMicroseconds);
        writer.WriteNumber("latency_target_ms", stats.LatencyTarget.TotalMilliseconds);
        writer.WriteNumber("observed_p95_ms", stats.ObservedP95.TotalMilliseconds);
        writer.WriteNumber("queued", stats.Queued);
        writer.WriteNumber("in_flight_batches", stats.InFlightBatches);
        writer.WriteNumber("requests", stats.Requests);
        writer.WriteNumber("batches", stats.Batches);
        writer.WriteNumber("rows_computed", stats.RowsComputed);
        writer.WriteNumber("average_batch_rows", stats.Batches == 0 ? 0 : (double)stats.RowsComputed / stats.Batches);
        writer.WriteNumber("rejected", stats.Rejected);
        writer.WriteNumber("expired", stats.Expired);
        writer.WriteNumber("cancelled", stats.Cancelled);
        writer.WriteNumber("failed", stats.Failed);
        writer.WriteNumber("retried", stats.Retried);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Duration(Utf8JsonWriter writer, string name, long count, double seconds)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", count);
        writer.WriteNumber("ns", (long)(seconds * 1e9));
        writer.WriteEndObject();
    }

    private static void Window(Utf8JsonWriter writer, string name, StatsDelta window, int seconds)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("requests", window.Success + window.Failure);
        writer.WriteNumber("failures", window.Failure);
        writer.WriteNumber("requests_per_second", (window.Success + window.Failure) / (double)seconds);
        writer.WriteNumber("p50_ms", window.Request.Percentile(0.50) * 1e3);
        writer.WriteNumber("p95_ms", window.Request.Percentile(0.95) * 1e3);
        writer.WriteNumber("p99_ms", window.Request.Percentile(0.99) * 1e3);
        writer.WriteNumber("queue_p99_ms", window.Queue.Percentile(0.99) * 1e3);
        writer.WriteNumber("compute_p99_ms", window.Compute.Percentile(0.99) * 1e3);
        writer.WriteNumber("average_batch_rows", window.Batches == 0 ? 0 : (double)window.Rows / window.Batches);
        writer.WriteEndObject();
    }
}
