using System.Collections.Immutable;

namespace Cluster.Statistics;

/// <summary>
/// How one output's rows spread over bins: for an output with several values per row (class
/// scores), the bin is the row's argmax class; for one value per row, a signed logarithmic bucket
/// of the value (25 % wide, so small float noise between versions stays in one bin). Mergeable by
/// adding counts, like <see cref="LatencyHistogram"/>, so silos and minutes sum exactly.
/// </summary>
/// <param name="Classes">True when bins are argmax classes, false when they are value buckets.</param>
/// <param name="Rows">Rows counted.</param>
/// <param name="Bins">Rows per bin (sparse).</param>
[GenerateSerializer, Immutable, Alias("Cluster.OutputDistribution")]
public sealed record OutputDistribution(bool Classes, long Rows, ImmutableSortedDictionary<int, long> Bins)
{
    private const double Growth = 1.25;
    private const double SmallestMagnitude = 1e-3;
    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>The value bucket of <paramref name="value"/>: 0 near zero, ±k for magnitudes in the k-th band above 10⁻³.</summary>
    public static int BucketOf(double value)
    {
        if (double.IsNaN(value)) return int.MinValue;
        var magnitude = Math.Abs(value);
        if (magnitude < SmallestMagnitude) return 0;
        var band = (int)Math.Min(10_000, 1 + Math.Floor(Math.Log(magnitude / SmallestMagnitude) / LogGrowth));
        return value < 0 ? -band : band;
    }

    /// <summary>The lower bound of a value bucket's magnitude (sign kept), for display.</summary>
    public static double LowerBoundOf(int bucket) =>
        bucket == 0 ? 0 : Math.Sign(bucket) * SmallestMagnitude * Math.Pow(Growth, Math.Abs(bucket) - 1);
}
