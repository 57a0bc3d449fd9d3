using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using Cluster.Tensors;

namespace Cluster.Statistics;

/// <summary>
/// Bins a batch's output rows into an <see cref="OutputDistribution"/>: one pass over the output
/// bytes, run once per batch (not per request). Rows wider than <see cref="MaxRowWidth"/> values
/// (images, embeddings of large models) are not profiled: an argmax over them means nothing.
/// </summary>
public static class OutputProfiler
{
    /// <summary>The widest row that is still read as class scores.</summary>
    public const int MaxRowWidth = 4096;

    /// <summary>The distribution of <paramref name="output"/>'s rows; null for types or widths that are not profiled.</summary>
    public static OutputDistribution? Profile(TensorData output)
    {
        var counts = new Dictionary<int, long>();
        if (Count(output, counts) is not { } classes) return null;
        return new OutputDistribution(classes, counts.Values.Sum(), counts.ToImmutableSortedDictionary());
    }

    /// <summary>
    /// Adds the bins of <paramref name="output"/>'s rows to <paramref name="counts"/> (no allocation);
    /// answers whether the bins are classes, or null when the output is not profiled.
    /// </summary>
    public static bool? Count(TensorData output, Dictionary<int, long> counts)
    {
        if (output.Shape.Length == 0) return null;
        var rows = output.Shape[0];
        if (rows <= 0) return null;
        var width = output.ElementCount / rows;
        if (width < 1 || width > MaxRowWidth) return null;
        switch (output.DataType)
        {
            case TensorDataType.FP32: Bin(MemoryMarshal.Cast<byte, float>(output.Data), (int)rows, (int)width, counts); break;
            case TensorDataType.FP64: Bin(MemoryMarshal.Cast<byte, double>(output.Data), (int)rows, (int)width, counts); break;
            case TensorDataType.Int32: Bin(MemoryMarshal.Cast<byte, int>(output.Data), (int)rows, (int)width, counts); break;
            case TensorDataType.Int64: Bin(MemoryMarshal.Cast<byte, long>(output.Data), (int)rows, (int)width, counts); break;
            default: return null;
        }
        return width > 1;
    }

    private static void Bin<T>(ReadOnlySpan<T> values, int rows, int width, Dictionary<int, long> counts) where T : unmanaged, INumberBase<T>
    {
        for (var row = 0; row < rows; row++)
        {
            var slice = values.Slice(row * width, width);
            int bin;
            if (width == 1)
            {
                bin = OutputDistribution.BucketOf(double.CreateTruncating(slice[0]));
            }
            else
            {
                bin = 0;
                var best = double.CreateTruncating(slice[0]);
                for (var i = 1; i < width; i++)
                {
                    var value = double.CreateTruncating(slice[i]);
                    if (value > best)
                    {
                        best = value;
                        bin = i;
                    }
                }
            }
            counts[bin] = counts.GetValueOrDefault(bin) + 1;
        }
    }
}
