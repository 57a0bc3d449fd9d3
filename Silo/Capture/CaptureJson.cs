using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cluster.Capture;
using Cluster.Silo.Inference.Json;
using Cluster.Tensors;

namespace Cluster.Silo.Capture;

/// <summary>
/// Formats a captured request as one line of JSON, in the capture writer (never on the request path).
/// <c>version</c> and <c>completed_at</c> come before the tensors, so a file export can filter by them
/// without parsing a record's payload (<see cref="CaptureLineFields"/>). Tensors are in v2 JSON form;
/// a redacted input keeps only its name, datatype and shape.
/// </summary>
internal static class CaptureJson
{
    public static CaptureRecord Format(CapturedRequest captured, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var id = captured.Request.Id ?? "";
        var traceId = captured.TraceId;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("trace_id", traceId);
            w.WriteString("model", captured.Model);
            w.WriteString("version", captured.Version);
            w.WriteString("completed_at", captured.CompletedAt);
            w.WriteString("received_at", captured.ReceivedAt);
            w.WriteNumber("duration_ms", Math.Round(captured.Duration.TotalMilliseconds, 3));
            w.WriteString("arm", captured.Arm);
            w.WriteString("routing_key", captured.Request.RoutingKey);
            w.WriteString("outcome", captured.Outcome);
            if (captured.Error is not null) w.WriteString("error", captured.Error);
            if (captured.Config.Inputs) WriteTensors(w, "inputs", captured.Request.Inputs, captured.Config.Redacts);
            if (captured.Config.Outputs && !captured.Outputs.IsDefault) WriteTensors(w, "outputs", captured.Outputs, static _ => false);
            w.WriteEndObject();
        }
        return new CaptureRecord(id, traceId, captured.Model, captured.Version, captured.CompletedAt, captured.Config.RetentionDays,
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, ImmutableArray<TensorData> tensors, Func<string, bool> redacted)
    {
        w.WriteStartArray(name);
        foreach (var tensor in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", tensor.Name);
            w.WriteString("datatype", tensor.DataType.ProtocolName());
            w.WriteStartArray("shape");
            foreach (var dim in tensor.Shape) w.WriteNumberValue(dim);
            w.WriteEndArray();
            if (redacted(tensor.Name))
            {
                w.WriteBoolean("redacted", true);
            }
            else if (tensor.DataType == TensorDataType.Bytes && !BytesTensor.IsUtf8(tensor.Data))
            {
                // JSON strings cannot carry these bytes; base64 keeps them exact.
                w.WriteStartArray("data_base64");
                foreach (var element in BytesTensor.Decode(tensor.Data)) w.WriteBase64StringValue(element);
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartArray("data");
                TensorJsonData.WriteElements(w, tensor.DataType, tensor.Data, 0, long.MaxValue);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
