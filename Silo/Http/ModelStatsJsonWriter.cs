using System.Text.Json;
using Cluster.Inference;

namespace Cluster.Silo.Http;

/// <summary>
/// Writes a version's statistics in the shape of Triton's statistics extension
/// (<c>model_stats</c>), with the batch worker of the answering silo under <c>batching</c>.
/// </summary>
internal static class ModelStatsJsonWriter
{
    public static void Write(Utf8JsonWriter writer, string model, string version, BatchingStats stats)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("model_stats");
        writer.WriteStartObject();
        writer.WriteString("name", model);
        writer.WriteString("version", version);
        writer.WriteNumber("inference_count", stats.RowsComputed);
        writer.WriteNumber("execution_count", stats.Batches);
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
}
