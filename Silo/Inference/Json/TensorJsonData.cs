using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Tensors;

namespace Cluster.Silo.Inference.Json;

/// <summary>
/// Converts the <c>data</c> member of a v2 JSON tensor (flat or nested) straight into raw
/// little-endian bytes of its datatype (the way back is <see cref="TensorJsonElements"/>). Non-finite floats travel as the strings
/// "NaN", "Infinity" and "-Infinity", since JSON numbers cannot hold them. BYTES elements are
/// JSON strings, stored as their UTF-8 bytes behind a length prefix (<see cref="BytesTensor"/>).
/// </summary>
internal static class TensorJsonData
{
    /// <summary>Parses a JSON array slice into <paramref name="count"/> elements of <paramref name="type"/>.</summary>
    public static byte[] Read(ReadOnlySpan<byte> json, string name, TensorDataType type, long count)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadArray(ref reader, name, type, count, json.Length);
    }

    /// <summary>
    /// Parses the array the reader stands on (its StartArray) into <paramref name="count"/> elements,
    /// leaving the reader on the matching EndArray, so a request is read in one pass.
    /// <paramref name="available"/> bytes of JSON bound the allocation: every element takes at least two ("1,").
    /// </summary>
    public static byte[] ReadArray(ref Utf8JsonReader reader, string name, TensorDataType type, long count, long available)
    {
        if (count > available) throw Invalid($"Input '{name}': data has fewer elements than its shape needs ({count}).");
        if (type == TensorDataType.Bytes) return ReadStrings(ref reader, name, count);
        var size = type.ElementSize();
        // Every element is written below or the read fails, so the pool's unzeroed array will do; the endpoint returns it with the request.
        var bytes = TensorBuffers.Rent(checked((int)(count * size)));
        var depth = reader.CurrentDepth;
        long index = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    continue;
                case JsonTokenType.EndArray:
                    if (reader.CurrentDepth == depth)
                    {
                        if (index != count) throw Invalid($"Input '{name}': data has {index} elements; its shape needs {count}.");
                        return bytes;
                    }
                    continue;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.String:
                    if (index >= count) throw Invalid($"Input '{name}': data has more elements than its shape holds ({count}).");
                    if (!TryWrite(ref reader, type, bytes.AsSpan((int)(index * size), size)))
                    {
                        throw Invalid($"Input '{name}': element {index} ({Token(ref reader)}) is not a valid {type.ProtocolName()} value.");
                    }
                    index++;
                    break;
                default:
                    throw Invalid($"Input '{name}': data may hold only numbers, booleans or nested arrays of them.");
            }
        }
        throw Invalid($"Input '{name}': data ends before its array closes.");
    }

    /// <summary>
    /// Reads an array of JSON strings (flat or nested) into length-prefixed UTF-8 elements. An
    /// unescaped string is never longer than its JSON text, so the text's length sizes the copy.
    /// </summary>
    private static byte[] ReadStrings(ref Utf8JsonReader reader, string name, long count)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var depth = reader.CurrentDepth;
        long index = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    continue;
                case JsonTokenType.EndArray:
                    if (reader.CurrentDepth == depth)
                    {
                        if (index != count) throw Invalid($"Input '{name}': data has {index} elements; its shape needs {count}.");
                        return buffer.WrittenSpan.ToArray();
                    }
                    continue;
                case JsonTokenType.String:
                    if (index >= count) throw Invalid($"Input '{name}': data has more elements than its shape holds ({count}).");
                    var target = buffer.GetSpan(BytesTensor.PrefixSize + reader.ValueSpan.Length);
                    int length;
                    try
                    {
                        length = reader.CopyString(target[BytesTensor.PrefixSize..]);
                    }
                    catch (InvalidOperationException)
                    {
                        throw Invalid($"Input '{name}': element {index} is not valid Unicode text (invalid UTF-8 or a lone surrogate escape).");
                    }
                    BinaryPrimitives.WriteInt32LittleEndian(target, length);
                    buffer.Advance(BytesTensor.PrefixSize + length);
                    index++;
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    throw Invalid($"Input '{name}': element {index} ({Token(ref reader)}) is not a string; BYTES data holds JSON strings.");
                default:
                    throw Invalid($"Input '{name}': BYTES data may hold only strings or nested arrays of them.");
            }
        }
        throw Invalid($"Input '{name}': data ends before its array closes.");
    }

    private static bool TryWrite(ref Utf8JsonReader reader, TensorDataType type, Span<byte> target)
    {
        if (type == TensorDataType.Bool)
        {
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return false;
            target[0] = reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0;
            return true;
        }
        if (type is TensorDataType.FP16 or TensorDataType.FP32 or TensorDataType.FP64)
        {
            if (!TryReadDouble(ref reader, out var value)) return false;
            switch (type)
            {
                case TensorDataType.FP16: BinaryPrimitives.WriteHalfLittleEndian(target, (Half)value); break;
                case TensorDataType.FP32:
                    var single = (float)value;
                    if (float.IsInfinity(single) && double.IsFinite(value)) return false;
                    BinaryPrimitives.WriteSingleLittleEndian(target, single);
                    break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(target, value); break;
            }
            return true;
        }
        if (reader.TokenType != JsonTokenType.Number) return false;
        if (type == TensorDataType.UInt64)
        {
            if (!reader.TryGetUInt64(out var unsigned)) return false;
            BinaryPrimitives.WriteUInt64LittleEndian(target, unsigned);
            return true;
        }
        if (!reader.TryGetInt64(out var n)) return false;
        switch (type)
        {
            case TensorDataType.UInt8 when n is >= byte.MinValue and <= byte.MaxValue: target[0] = (byte)n; return true;
            case TensorDataType.Int8 when n is >= sbyte.MinValue and <= sbyte.MaxValue: target[0] = (byte)(sbyte)n; return true;
            case TensorDataType.UInt16 when n is >= ushort.MinValue and <= ushort.MaxValue: BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)n); return true;
            case TensorDataType.Int16 when n is >= short.MinValue and <= short.MaxValue: BinaryPrimitives.WriteInt16LittleEndian(target, (short)n); return true;
            case TensorDataType.UInt32 when n is >= uint.MinValue and <= uint.MaxValue: BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)n); return true;
            case TensorDataType.Int32 when n is >= int.MinValue and <= int.MaxValue: BinaryPrimitives.WriteInt32LittleEndian(target, (int)n); return true;
            case TensorDataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(target, n); return true;
            default: return false;
        }
    }

    private static bool TryReadDouble(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        if (reader.TokenType == JsonTokenType.Number)
        {
            // The fast path covers what clients write for float tensors (up to 15 significant digits, small exponents) exactly; the rest takes the general parser.
            if (!reader.HasValueSequence && JsonNumberParser.TryParseExact(reader.ValueSpan, out value)) return true;
            return reader.TryGetDouble(out value) && double.IsFinite(value);
        }
        if (reader.TokenType != JsonTokenType.String) return false;
        if (reader.ValueTextEquals("NaN")) value = double.NaN;
        else if (reader.ValueTextEquals("Infinity")) value = double.PositiveInfinity;
        else if (reader.ValueTextEquals("-Infinity")) value = double.NegativeInfinity;
        else return false;
        return true;
    }

    private static string Token(ref Utf8JsonReader reader)
    {
        var raw = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
        var text = reader.TokenType == JsonTokenType.String ? $"\"{raw}\"" : raw;
        return text.Length > 40 ? text[..40] + "…" : text;
    }

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
