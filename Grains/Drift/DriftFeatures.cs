using System.Runtime.InteropServices;
using Cluster.Tensors;

namespace Cluster.Drift;

/// <summary>
/// Cuts an input tensor into drift features and samples their values: per channel for image-like
/// inputs (rank ≥ 3 with at most 64 channels in dimension 1, named <c>x[c=1]</c>), per element
/// for narrow rows (at most 64 values, <c>x[3]</c>), else the whole row as one feature (<c>x</c>).
/// At most <paramref name="maxValues"/> values per feature are taken per call, evenly strided,
/// so profiling a large image batch costs a few thousand reads, not millions.
/// </summary>
public static class DriftFeatures
{
    /// <summary>Most channels or elements a tensor is split into.</summary>
    public const int MaxFeatures = 64;

    /// <summary>Feature name and sampled values of every feature of <paramref name="input"/>; nothing for non-numeric types.</summary>
    public static IEnumerable<(string Feature, double[] Values)> Sample(TensorData input, int maxValues)
    {
        var size = ElementSize(input.DataType);
        if (size == 0 || input.Shape.Length == 0 || input.Data.Length == 0) yield break;
        var count = input.Data.Length / size;
        var rows = (int)input.Shape[0];
        if (rows <= 0) yield break;
        var width = count / rows;
        if (input.Shape.Length >= 3 && input.Shape[1] is > 0 and <= MaxFeatures)
        {
            var channels = (int)input.Shape[1];
            var inner = width / channels;
            for (var c = 0; c < channels; c++) yield return (Name(input.Name, c, channel: true), Strided(input, rows * inner, maxValues, inner, width, c * inner));
        }
        else if (width <= MaxFeatures)
        {
            for (var e = 0; e < width; e++) yield return (Name(input.Name, e, channel: false), Strided(input, rows, maxValues, 1, width, e));
        }
        else
        {
            yield return (input.Name, Strided(input, count, maxValues, count, 0, 0));
        }
    }

    // Names are built once: profiling runs for every batch and must not allocate a string per feature each time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Input, int Index, bool Channel), string> Names = new();

    private static string Name(string input, int index, bool channel) =>
        Names.GetOrAdd((input, index, channel), key => key.Channel ? $"{key.Input}[c={key.Index}]" : $"{key.Input}[{key.Index}]");

    // Every step-th of a feature's count values: value i lies at element (i / inner) * width + start + i % inner, which covers a
    // channel (inner values a row, rows apart), one element of each row (inner 1) and a whole tensor (inner the count), without a
    // delegate per feature: profiling runs for every batch.
    private static double[] Strided(TensorData input, int count, int maxValues, int inner, int width, int start)
    {
        var step = Math.Max(1, (count + maxValues - 1) / maxValues);
        var taken = new double[(count + step - 1) / step];
        for (var k = 0; k < taken.Length; k++)
        {
            var i = k * step;
            taken[k] = ReadAt(input, (i / inner) * width + start + i % inner);
        }
        return taken;
    }

    private static int ElementSize(TensorDataType type) => type switch
    {
        TensorDataType.FP32 or TensorDataType.Int32 => 4,
        TensorDataType.FP64 or TensorDataType.Int64 => 8,
        TensorDataType.UInt8 => 1,
        _ => 0,
    };

    private static double ReadAt(TensorData tensor, int index)
    {
        var bytes = tensor.Data.AsSpan();
        return tensor.DataType switch
        {
            TensorDataType.FP32 => MemoryMarshal.Read<float>(bytes[(index * 4)..]),
            TensorDataType.Int32 => MemoryMarshal.Read<int>(bytes[(index * 4)..]),
            TensorDataType.FP64 => MemoryMarshal.Read<double>(bytes[(index * 8)..]),
            TensorDataType.Int64 => MemoryMarshal.Read<long>(bytes[(index * 8)..]),
            _ => bytes[index],
        };
    }
}
