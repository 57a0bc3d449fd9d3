extern alias silo;
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cluster.Tensors;
using silo::Cluster.Silo.Inference.Json;

namespace Cluster.Benchmarks;

/// <summary>
/// The bare server's JSON requests (<see cref="BareServer"/>): the body read whole, its one input's <c>data</c> read into the
/// tensor's floats with System.Text.Json's reader, and the answer written as v2 JSON. What .NET's own JSON reader costs per
/// request, beside the silo's parser. With <see cref="SiloReaderSuffix"/> on the model's name the numbers go through the silo's
/// own float-array reader instead, after the body is copied into one lent array as the silo copies it: the floor under the
/// silo's JSON path with its parser, so that the silo against it is the serving system's own share.
/// </summary>
internal static class BareJson
{
    public const string SiloReaderSuffix = "-silo-reader";

    public static async Task ReadTensor(PipeReader body, Memory<float> tensor, bool siloReader)
    {
        while (true)
        {
            var read = await body.ReadAsync();
            if (read.IsCompleted)
            {
                if (siloReader) ParseWithSiloReader(read.Buffer, tensor.Span);
                else Parse(read.Buffer, tensor.Span);
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

    private static void ParseWithSiloReader(ReadOnlySequence<byte> body, Span<float> tensor)
    {
        var lent = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(lent);
            var json = lent.AsSpan(0, (int)body.Length);
            var reader = new Utf8JsonReader(json);
            ToData(ref reader);
            // The reader stands on the data array's '['; the float-array reader starts after it.
            if (FloatArrayReader.TryRead(json, (int)reader.BytesConsumed, TensorDataType.FP32, MemoryMarshal.AsBytes(tensor)) < 0)
                throw new InvalidDataException("The silo's float-array reader gave up on the data.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lent);
        }
    }

    private static void Parse(ReadOnlySequence<byte> json, Span<float> tensor)
    {
        var reader = new Utf8JsonReader(json);
        ToData(ref reader);
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.Number) tensor[count++] = reader.GetSingle();
        if (count != tensor.Length) throw new InvalidDataException($"The data held {count} numbers, not {tensor.Length}.");
    }

    // Moves the reader onto the '[' of the body's "data" array: the bare server knows its one input.
    private static void ToData(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("data"u8)) continue;
            reader.Read();
            return;
        }
        throw new InvalidDataException("The body has no data.");
    }
}
