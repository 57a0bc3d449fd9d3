using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Cluster.Benchmarks;

/// <summary>
/// The bare server's JSON requests (<see cref="BareServer"/>): the body read whole, its one input's <c>data</c> read into the
/// tensor's floats with System.Text.Json's reader, and the answer written as v2 JSON. What .NET's own JSON reader costs per
/// request, beside the silo's parser.
/// </summary>
internal static class BareJson
{
    public static async Task ReadTensor(PipeReader body, Memory<float> tensor)
    {
        while (true)
        {
            var read = await body.ReadAsync();
            if (read.IsCompleted)
            {
                Parse(read.Buffer, tensor.Span);
                body.AdvanceTo(read.Buffer.End);
                return;
            }
            // Nothing consumed until the whole body is in: the reader parses one buffer.
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    public static byte[] Answer(string output, ReadOnlySpan<long> shape, ReadOnlySpan<float> data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model_name", "bare");
            w.WriteStartArray("outputs");
            w.WriteStartObject();
            w.WriteString("name", output);
            w.WriteString("datatype", "FP32");
            w.WriteStartArray("shape");
            foreach (var d in shape) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteStartArray("data");
            foreach (var v in data) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Parse(ReadOnlySequence<byte> json, Span<float> tensor)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("data"u8)) continue;
            reader.Read();
            var count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.Number) tensor[count++] = reader.GetSingle();
            if (count != tensor.Length) throw new InvalidDataException($"The data held {count} numbers, not {tensor.Length}.");
            return;
        }
        throw new InvalidDataException("The body has no data.");
    }
}
