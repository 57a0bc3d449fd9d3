using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cluster.Tensors;

namespace Cluster.Silo.Http;

/// <summary>
/// Reads the common shape of tensor data, a flat array of plain float numbers, straight from the
/// bytes: no tokenizer, each number converted by <see cref="JsonNumberParser"/> (FP32 by the faster
/// <see cref="FlatSingleArray"/>, which hands it what it does not take). Anything else (nested
/// arrays, strings such as "NaN", numbers the fast path cannot convert exactly, a wrong count, any
/// syntax it does not expect) makes it give up, and the caller reads the array the general way, which
/// also words the errors. Float types only: integer data keeps the general path and its range checks.
/// </summary>
internal static class FlatNumberArray
{
    /// <summary>
    /// Converts the data array the reader stands on: flat float arrays straight from the bytes, then
    /// the reader goes on from a copy of its state over the rest (it stood after '[' and now sees the
    /// ']'); everything else through the reader.
    /// </summary>
    public static byte[] ReadData(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> body, string name, TensorDataType type, long elements, int start)
    {
        var available = body.Length - start;
        if (elements > 0 && elements <= available && type is TensorDataType.FP32 or TensorDataType.FP64 or TensorDataType.FP16)
        {
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)(elements * type.ElementSize())));
            var arrayStart = offset + (int)reader.BytesConsumed;
            // Tensor bytes are little-endian; where floats are too, FP32 (the common case) is written as floats directly.
            var close = type == TensorDataType.FP32 && BitConverter.IsLittleEndian
                ? FlatSingleArray.TryRead(body, arrayStart, MemoryMarshal.Cast<byte, float>(bytes.AsSpan()))
                : TryRead(body, arrayStart, type, bytes, elements);
            if (close >= 0)
            {
                var state = reader.CurrentState;
                reader = new Utf8JsonReader(body[close..], isFinalBlock: true, state);
                offset = close;
                reader.Read();
                return bytes;
            }
        }
        return TensorJsonData.ReadArray(ref reader, name, type, elements, available);
    }

    /// <summary>
    /// Fills <paramref name="target"/> with <paramref name="count"/> elements from the array whose
    /// '[' ends just before <paramref name="start"/> (a float type and a count above 0: <see cref="ReadData"/> checks); returns the index of its closing ']', or -1 to fall back.
    /// </summary>
    private static int TryRead(ReadOnlySpan<byte> json, int start, TensorDataType type, Span<byte> target, long count)
    {
        var size = type.ElementSize();
        var position = SkipWhitespace(json, start);
        for (long index = 0; index < count; index++)
        {
            if (!JsonNumberParser.TryParsePrefix(json[position..], out var value, out var length)) return -1;
            var end = position + length;
            var element = target.Slice((int)(index * size), size);
            switch (type)
            {
                case TensorDataType.FP32:
                    var single = (float)value;
                    if (float.IsInfinity(single)) return -1;
                    BinaryPrimitives.WriteSingleLittleEndian(element, single);
                    break;
                case TensorDataType.FP64:
                    BinaryPrimitives.WriteDoubleLittleEndian(element, value);
                    break;
                default:
                    BinaryPrimitives.WriteHalfLittleEndian(element, (Half)value);
                    break;
            }
            position = SkipWhitespace(json, end);
            if (position >= json.Length) return -1;
            var separator = json[position];
            if (index == count - 1) return separator == (byte)']' ? position : -1;
            if (separator != (byte)',') return -1;
            position = SkipWhitespace(json, position + 1);
        }
        return -1;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int position)
    {
        while (position < json.Length && json[position] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') position++;
        return position;
    }
}
