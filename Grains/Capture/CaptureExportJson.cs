using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cluster.Tensors;

namespace Cluster.Capture;

/// <summary>
/// Turns a stored record line (<see cref="CaptureRecordJson"/>) into the exported one: each tensor's
/// base64 <c>raw</c> bytes become a v2 JSON <c>data</c> array (BYTES elements as strings, or as
/// <c>data_base64</c> when some element is not UTF-8, which a JSON string cannot carry exactly).
/// Everything else is copied as it is, so records stored before this form pass through unchanged.
/// </summary>
public static class CaptureExportJson
{
    /// <summary>The exported form of one stored line.</summary>
    public static string ToExported(string stored)
    {
        using var document = JsonDocument.Parse(stored);
        var buffer = new ArrayBufferWriter<byte>(stored.Length * 2);
        // Copied strings are re-escaped on the way out; the relaxed encoder keeps "+00:00" and non-ASCII text as they were (NDJSON is not HTML).
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.Name is "inputs" or "outputs" && member.Value.ValueKind == JsonValueKind.Array)
                {
                    w.WriteStartArray(member.Name);
                    foreach (var tensor in member.Value.EnumerateArray()) WriteTensor(w, tensor);
                    w.WriteEndArray();
                }
                else
                {
                    member.WriteTo(w);
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteTensor(Utf8JsonWriter w, JsonElement tensor)
    {
        if (tensor.ValueKind != JsonValueKind.Object
            || !tensor.TryGetProperty(CaptureRecordJson.RawMember, out var raw)
            || !tensor.TryGetProperty("datatype", out var datatype)
            || !TensorDataTypes.TryParse(datatype.GetString() ?? "", out var type))
        {
            tensor.WriteTo(w);
            return;
        }
        w.WriteStartObject();
        foreach (var member in tensor.EnumerateObject())
        {
            if (member.Name != CaptureRecordJson.RawMember) member.WriteTo(w);
        }
        var data = raw.GetBytesFromBase64();
        if (type == TensorDataType.Bytes && !BytesTensor.IsUtf8(data))
        {
            w.WriteStartArray("data_base64");
            foreach (var element in BytesTensor.Decode(data)) w.WriteBase64StringValue(element);
            w.WriteEndArray();
        }
        else
        {
            w.WriteStartArray("data");
            TensorJsonElements.Write(w, type, data, 0, long.MaxValue);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
