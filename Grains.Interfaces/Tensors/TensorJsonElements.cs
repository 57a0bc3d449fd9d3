using System.Buffers.Binary;
using System.Text.Json;

namespace Cluster.Tensors;

/// <summary>
/// Writes raw little-endian tensor bytes as the elements of a v2 JSON <c>data</c> array: what the
/// gateway answers and what a capture export shows. Non-finite floats become the strings "NaN",
/// "Infinity" and "-Infinity", since JSON numbers cannot hold them; BYTES elements become strings.
/// </summary>
public static class TensorJsonElements
{
    /// <summary>The members every v2 tensor object starts with: <c>name</c>, <c>datatype</c> and <c>shape</c> (-1 for a dynamic dimension).</summary>
    public static void WriteHead(Utf8JsonWriter writer, string name, TensorDataType type, ReadOnlySpan<long> shape)
    {
        writer.WriteString("name", name);
        writer.WriteString("datatype", type.ProtocolName());
        writer.WriteStartArray("shape");
        foreach (var dim in shape) writer.WriteNumberValue(dim);
        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes raw tensor bytes as JSON array elements (BYTES as strings, which they must be able to
    /// be: <see cref="BytesTensor.IsUtf8"/>), from byte <paramref name="offset"/> until the writer has
    /// produced <paramref name="stopAt"/> bytes in all or the data ends; returns the offset to go on
    /// from, so a caller streaming a large output flushes between calls.
    /// </summary>
    public static int Write(Utf8JsonWriter writer, TensorDataType type, ReadOnlySpan<byte> data, int offset, long stopAt)
    {
        if (type == TensorDataType.Bytes)
        {
            while (offset < data.Length && Written(writer) < stopAt)
            {
                var end = BytesTensor.Skip(data, offset, 1);
                writer.WriteStringValue(data[(offset + BytesTensor.PrefixSize)..end]);
                offset = end;
            }
            return offset;
        }
        var size = type.ElementSize();
        for (; offset + size <= data.Length && Written(writer) < stopAt; offset += size)
        {
            var e = data.Slice(offset, size);
            switch (type)
            {
                case TensorDataType.Bool: writer.WriteBooleanValue(e[0] != 0); break;
                case TensorDataType.UInt8: writer.WriteNumberValue(e[0]); break;
                case TensorDataType.Int8: writer.WriteNumberValue((sbyte)e[0]); break;
                case TensorDataType.UInt16: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(e)); break;
                case TensorDataType.Int16: writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(e)); break;
                case TensorDataType.UInt32: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(e)); break;
                case TensorDataType.Int32: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(e)); break;
                case TensorDataType.UInt64: writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(e)); break;
                case TensorDataType.Int64: writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(e)); break;
                case TensorDataType.FP16: WriteFloat(writer, (float)BinaryPrimitives.ReadHalfLittleEndian(e)); break;
                case TensorDataType.FP32: WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(e)); break;
                case TensorDataType.FP64: WriteDouble(writer, BinaryPrimitives.ReadDoubleLittleEndian(e)); break;
                default: throw new NotSupportedException($"{type.ProtocolName()} outputs cannot be written as JSON yet.");
            }
        }
        return offset;
    }

    /// <summary>Bytes the writer produced: handed to its output, plus still pending in it.</summary>
    public static long Written(Utf8JsonWriter writer) => writer.BytesCommitted + writer.BytesPending;

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

}
