using System.Numerics;

namespace Cluster.Pipelines;

/// <summary>Small reductions over rows of scores.</summary>
internal static class TensorMath
{
    /// <summary>Index of the largest value; the first one on ties (and NaN never wins).</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : INumber<T>
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best] || T.IsNaN(values[best])) best = i;
        }
        return best;
    }

    public static int ArgMax<T>(T[] values) where T : INumber<T> => ArgMax<T>(values.AsSpan());
}
