using System.Runtime.InteropServices;
using Cluster.Statistics;
using Cluster.Tensors;

namespace Cluster.Routing;

/// <summary>
/// Compares a shadow's outputs with the primary's, output by output: mean and largest absolute
/// difference of the values, and for outputs with several values per row (class scores) whether
/// each row's argmax agrees. Outputs the two do not share with one shape and a numeric type are skipped.
/// </summary>
public static class OutputComparer
{
    /// <summary>Per output name, how far <paramref name="shadow"/> was from <paramref name="primary"/>.</summary>
    public static Dictionary<string, OutputDifference> Compare(IReadOnlyList<TensorData> primary, IReadOnlyList<TensorData> shadow)
    {
        var differences = new Dictionary<string, OutputDifference>(StringComparer.Ordinal);
        foreach (var expected in primary)
        {
            var actual = shadow.FirstOrDefault(o => o.Name == expected.Name);
            if (actual is null || actual.DataType != expected.DataType || !actual.Shape.SequenceEqual(expected.Shape)) continue;
            if (Values(expected) is not { } left || Values(actual) is not { } right) continue;
            var rows = expected.Shape.Length == 0 ? 1 : (int)expected.Shape[0];
            var width = rows == 0 ? 0 : left.Length / rows;
            double sum = 0, max = 0;
            for (var i = 0; i < left.Length; i++)
            {
                var difference = Math.Abs(left[i] - right[i]);
                if (double.IsNaN(difference)) difference = double.PositiveInfinity;
                sum += difference;
                max = Math.Max(max, difference);
            }
            long agreed = 0;
            if (width > 1)
            {
                for (var row = 0; row < rows; row++)
                {
                    if (ArgMax(left.AsSpan(row * width, width)) == ArgMax(right.AsSpan(row * width, width))) agreed++;
                }
            }
            differences[expected.Name] = new OutputDifference(left.Length, sum, max, width > 1 ? rows : 0, agreed);
        }
        return differences;
    }

    private static double[]? Values(TensorData tensor) => tensor.DataType switch
    {
        TensorDataType.FP32 => [.. MemoryMarshal.Cast<byte, float>(tensor.Data).ToArray().Select(v => (double)v)],
        TensorDataType.FP64 => MemoryMarshal.Cast<byte, double>(tensor.Data).ToArray(),
        TensorDataType.Int32 => [.. MemoryMarshal.Cast<byte, int>(tensor.Data).ToArray().Select(v => (double)v)],
        TensorDataType.Int64 => [.. MemoryMarshal.Cast<byte, long>(tensor.Data).ToArray().Select(v => (double)v)],
        _ => null,
    };

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
