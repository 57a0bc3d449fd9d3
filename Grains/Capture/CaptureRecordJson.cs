using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Tensors;

namespace Cluster.Capture;

/// <summary>
/// A captured request as one line of JSON, as stores keep it. Formatting runs in the capture writer, off
/// the request path, but on the silo's cores, so it is kept to copies: a tensor's bytes go in as base64
/// (<c>"raw"</c>) and become v2 JSON <c>data</c> only when someone exports the record
/// (<see cref="CaptureExportJson"/>); printing a 110 KB input as decimal text costs several times the
/// inference. <c>version</c> and <c>completed_at</c> come before the tensors, so a file export can filter
/// without parsing a record's payload (<see cref="CaptureLineFields"/>). A redacted input keeps only its
/// name, datatype and shape.
/// </summary>
public static class CaptureRecordJson
{
    /// <summary>The stored member holding a tensor's raw bytes in base64.</summary>
    public const string RawMember = "raw";

    /// <summary>
    /// Appends the record to <paramref name="buffer"/> and returns it with its line as a slice of the buffer,
    /// valid until the buffer is reset (a batch's records share one buffer).
    /// </summary>
    public static CaptureRecord Append(CapturedRequest captured, ArrayBufferWriter<byte> buffer)
    {
        var start = buffer.WrittenCount;
        var id = captured.Request.Id ?? "";
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("trace_id", captured.TraceId);
            w.WriteString("model", captured.Model);
            w.WriteString("version", captured.Version);
            w.WriteString("completed_at", captured.CompletedAt);
            w.WriteString("received_at", captured.ReceivedAt);
            w.WriteNumber("duration_ms", Milliseconds(captured.Duration));
            if (captured.QueueTime is { } queue) w.WriteNumber("queue_ms", Milliseconds(queue));
            if (captured.ComputeTime is { } compute) w.WriteNumber("compute_ms", Milliseconds(compute));
            w.WriteString("arm", captured.Arm);
            w.WriteString("routing_key", captured.Request.RoutingKey);
            w.WriteString("outcome", captured.Outcome);
            if (captured.Error is not null) w.WriteString("error", captured.Error);
            if (captured.Config.Inputs) WriteTensors(w, "inputs", captured.Request.Inputs, captured.Config.Redacts);
            if (captured.Config.Outputs && !captured.Outputs.IsDefault) WriteTensors(w, "outputs", captured.Outputs, static _ => false);
            w.WriteEndObject();
        }
        // WrittenMemory is taken after the record: a slice of an earlier, outgrown array would still hold the same bytes.
        var line = buffer.WrittenMemory[start..];
        return new CaptureRecord(id, captured.TraceId, captured.Model, captured.Version, captured.CompletedAt, captured.Config.RetentionDays, line);
    }

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 3);

    private static void WriteTensors(Utf8JsonWriter w, string name, ImmutableArray<TensorData> tensors, Func<string, bool> redacted)
    {
        w.WriteStartArray(name);
        foreach (var tensor in tensors)
        {
            w.WriteStartObject();
            TensorJsonElements.WriteHead(w, tensor.Name, tensor.DataType, tensor.Shape.AsSpan());
            if (redacted(tensor.Name)) w.WriteBoolean("redacted", true);
            else w.WriteBase64String(RawMember, tensor.Data);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
