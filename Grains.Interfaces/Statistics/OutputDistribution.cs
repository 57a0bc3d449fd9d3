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

    /// <summary>The sum of two distributions of the same output; one of another kind is ignored.</summary>
    public OutputDistribution Merge(OutputDistribution other)
    {
        if (other.Rows == 0 || other.Classes != Classes) return this;
        if (Rows == 0) return other;
        var bins = Bins.ToBuilder();
        foreach (var (bin, count) in other.Bins) bins[bin] = bins.GetValueOrDefault(bin) + count;
        return this with { Rows = Rows + other.Rows, Bins = bins.ToImmutable() };
    }

    /// <summary>What was added since <paramref name="earlier"/>, a prefix of this running total (never negative).</summary>
    public OutputDistribution Minus(OutputDistribution? earlier)
    {
        if (earlier is null || earlier.Rows == 0 || earlier.Classes != Classes) return this;
        var bins = ImmutableSortedDictionary.CreateBuilder<int, long>();
        foreach (var (bin, count) in Bins)
        {
            var left = count - earlier.Bins.GetValueOrDefault(bin);
            if (left > 0) bins[bin] = left;
        }
        return this with { Rows = bins.Values.Sum(), Bins = bins.ToImmutable() };
    }

    /// <summary>
    /// Population stability index between two distributions: Σ (p − q)·ln(p / q) over the union of
    /// bins, with half a count added to every bin so an empty bin does not make it infinite.
    /// Conventional reading: below 0.1 no real shift, 0.1–0.25 moderate, above 0.25 major.
    /// </summary>
    public static double PopulationStability(OutputDistribution actual, OutputDistribution expected)
    {
        if (actual.Rows == 0 || expected.Rows == 0 || actual.Classes != expected.Classes) return 0;
        var bins = actual.Bins.Keys.Union(expected.Bins.Keys).ToArray();
        var actualTotal = actual.Rows + 0.5 * bins.Length;
        var expectedTotal = expected.Rows + 0.5 * bins.Length;
        var index = 0.0;
        foreach (var bin in bins)
        {
            var p = (actual.Bins.GetValueOrDefault(bin) + 0.5) / actualTotal;
            var q = (expected.Bins.GetValueOrDefault(bin) + 0.5) / expectedTotal;
            index += (p - q) * Math.Log(p / q);
        }
        return index;
    }
}
