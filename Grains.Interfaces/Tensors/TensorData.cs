using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Cluster.Tensors;

/// <summary>
/// A named tensor as it crosses grains: raw little-endian element bytes plus datatype and shape,
/// so that batching is a memcpy and serialization a bulk copy (<see cref="TensorDataCodec"/>, which reads the bytes into
/// lent arrays).
/// </summary>
/// <param name="Name">Input or output name, as the model declares it.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Dimensions; all known (no -1) for a concrete tensor.</param>
/// <param name="Data">
/// Element bytes in row-major order; for <see cref="TensorDataType.Bytes"/> each element is
/// length-prefixed (<see cref="BytesTensor"/>). Never mutated once built.
/// </param>
[Immutable, Alias("Cluster.TensorData")]
public sealed record TensorData(string Name, TensorDataType DataType, ImmutableArray<long> Shape, byte[] Data)
{
    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount => ShapeMath.ElementCount(Shape.AsSpan());

    /// <summary>Builds a tensor from typed values; the datatype follows <typeparamref name="T"/>.</summary>
    public static TensorData From<T>(string name, ReadOnlySpan<T> values, params long[] shape) where T : unmanaged
    {
        var expected = ShapeMath.ElementCount(shape);
        if (expected != values.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(",", shape)}] needs {expected} values, got {values.Length}.", nameof(values));
        }
        return new TensorData(name, TensorDataTypes.Of<T>(), [.. shape], MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>Builds a BYTES tensor whose elements are <paramref name="values"/> encoded as UTF-8.</summary>
    public static TensorData FromStrings(string name, IReadOnlyList<string> values, params long[] shape) =>
        FromByteStrings(name, [.. values.Select(System.Text.Encoding.UTF8.GetBytes)], shape);

    /// <summary>Builds a BYTES tensor whose elements are <paramref name="values"/>, byte for byte.</summary>
    public static TensorData FromByteStrings(string name, IReadOnlyList<byte[]> values, params long[] shape)
    {
        var expected = ShapeMath.ElementCount(shape);
        if (expected != values.Count)
        {
            throw new ArgumentException($"Shape [{string.Join(",", shape)}] needs {expected} values, got {values.Count}.", nameof(values));
        }
        return new TensorData(name, TensorDataType.Bytes, [.. shape], BytesTensor.Encode(values));
    }

    /// <summary>Reads the elements of a BYTES tensor as UTF-8 text; throws on bytes that are not UTF-8 (read those with <see cref="ToByteStrings"/>).</summary>
    public string[] ToStrings()
    {
        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        return [.. ToByteStrings().Select(utf8.GetString)];
    }

    /// <summary>Reads the elements of a BYTES tensor, byte for byte.</summary>
    public byte[][] ToByteStrings()
    {
        if (DataType != TensorDataType.Bytes) throw new InvalidOperationException($"Tensor '{Name}' holds {DataType.ProtocolName()}, not BYTES.");
        return BytesTensor.Decode(Data);
    }

    /// <summary>Reads the elements as <typeparamref name="T"/>, which must match <see cref="DataType"/>.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (TensorDataTypes.Of<T>() != DataType)
        {
            throw new InvalidOperationException($"Tensor '{Name}' holds {DataType.ProtocolName()}, not {typeof(T).Name}.");
        }
        return MemoryMarshal.Cast<byte, T>(Data).ToArray();
    }
}
