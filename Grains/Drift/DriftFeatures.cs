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
            for (var c = 0; c < channels; c++)
            {
                var channel = c;
                yield return (Name(input.Name, c, channel: true), Strided(rows * inner, maxValues, i => ReadAt(input, (i / inner) * width + channel * inner + i % inner)));
            }
        }
        else if (width <= MaxFeatures)
        {
            for (var e = 0; e < width; e++)
            {
                var element = e;
                yield return (Name(input.Name, e, channel: false), Strided(rows, maxValues, r => ReadAt(input, r * width + element)));
            }
        }
        else
        {
            yield return (input.Name, Strided(count, maxValues, i => ReadAt(input, i)));
        }
    }

    // Names are built once: profiling runs for every batch and must not allocate a string per feature each time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Input, int Index, bool Channel), string> Names = new();

    private static string Name(string input, int index, bool channel) =>
        Names.GetOrAdd((input, index, channel), key => key.Channel ? $"{key.Input}[c={key.Index}]" : $"{key.Input}[{key.Index}]");

    private static double[] Strided(int count, int maxValues, Func<int, double> at)
    {
        var step = Math.Max(1, (count + maxValues - 1) / maxValues);
        var taken = new double[(count + step - 1) / step];
        for (var i = 0; i < taken.Length; i++) taken[i] = at(i * step);
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
