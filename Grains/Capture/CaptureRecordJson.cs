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
/// name, datatype and shape. A store with a side file (<see cref="ITensorSideFile"/>) takes the tensors' bytes raw instead,
/// and the line keeps their offset and length there.
/// </summary>
public static class CaptureRecordJson
{
    /// <summary>The stored member holding a tensor's raw bytes in base64.</summary>
    public const string RawMember = "raw";

    /// <summary>The stored member holding the offset of a tensor's bytes in the store's side file (<see cref="ITensorSideFile"/>), instead of <see cref="RawMember"/>.</summary>
    public const string RawAtMember = "raw_at";

    /// <summary>How many bytes lie at <see cref="RawAtMember"/>.</summary>
    public const string RawLengthMember = "raw_bytes";

    /// <summary>
    /// Appends the record to <paramref name="buffer"/> and returns it with its line as a slice of the buffer,
    /// valid until the buffer is reset (a batch's records share one buffer). With a <paramref name="sideFile"/>, the tensors'
    /// bytes go there and the line says where.
    /// </summary>
    public static CaptureRecord Append(CapturedRequest captured, ArrayBufferWriter<byte> buffer, ITensorSideFile? sideFile = null)
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
            if (captured.Config.Inputs) WriteTensors(w, "inputs", captured.Request.Inputs, captured.Config.Redacts, captured, sideFile);
            if (captured.Config.Outputs && !captured.Outputs.IsDefault) WriteTensors(w, "outputs", captured.Outputs, static _ => false, captured, sideFile);
            w.WriteEndObject();
        }
        // WrittenMemory is taken after the record: a slice of an earlier, outgrown array would still hold the same bytes.
        var line = buffer.WrittenMemory[start..];
        return new CaptureRecord(id, captured.TraceId, captured.Model, captured.Version, captured.CompletedAt, captured.Config.RetentionDays, line);
    }

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 3);

    private static void WriteTensors(
        Utf8JsonWriter w, string name, ImmutableArray<TensorData> tensors, Func<string, bool> redacted, CapturedRequest captured, ITensorSideFile? sideFile)
    {
        w.WriteStartArray(name);
        foreach (var tensor in tensors)
        {
            w.WriteStartObject();
            TensorJsonElements.WriteHead(w, tensor.Name, tensor.DataType, tensor.Shape.AsSpan());
            if (redacted(tensor.Name))
            {
                w.WriteBoolean("redacted", true);
            }
            else if (sideFile?.Place(captured.Model, captured.CompletedAt, tensor.Data) is { } offset)
            {
                w.WriteNumber(RawAtMember, offset);
                w.WriteNumber(RawLengthMember, tensor.Data.Length);
            }
            else
            {
                w.WriteBase64String(RawMember, tensor.Data);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
