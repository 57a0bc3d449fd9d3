using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Cluster.Tensors;

/// <summary>
/// A named tensor as it crosses grains: raw little-endian element bytes plus datatype and shape,
/// so that batching is a memcpy and serialization a bulk copy.
/// </summary>
/// <param name="Name">Input or output name, as the model declares it.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Dimensions; all known (no -1) for a concrete tensor.</param>
/// <param name="Data">Element bytes in row-major order. Never mutated once built.</param>
[GenerateSerializer, Immutable, Alias("Cluster.TensorData")]
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
