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
}
