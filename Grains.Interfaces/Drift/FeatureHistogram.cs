using System.Collections.Immutable;

namespace Cluster.Drift;

/// <summary>
/// Values of one input feature counted into the bins of its drift reference (edges e₀ &lt; … &lt; eₖ₋₁
/// make k + 1 bins), with count, sum and sum of squares for mean and variance. Mergeable by adding.
/// </summary>
[GenerateSerializer, Immutable, Alias("Cluster.FeatureHistogram")]
public sealed record FeatureHistogram(long Count, double Sum, double SumSquares, ImmutableArray<long> Bins)
{
    /// <summary>Mean of the values (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>The sum of two histograms over the same edges.</summary>
    public FeatureHistogram Merge(FeatureHistogram other)
    {
        if (other.Count == 0) return this;
        if (Count == 0 || Bins.Length != other.Bins.Length) return other;
        var bins = new long[Bins.Length];
        for (var i = 0; i < bins.Length; i++) bins[i] = Bins[i] + other.Bins[i];
        return new FeatureHistogram(Count + other.Count, Sum + other.Sum, SumSquares + other.SumSquares, [.. bins]);
    }
}
