using System.Collections.Immutable;

namespace Cluster.Statistics;

/// <summary>
/// A mergeable latency histogram with logarithmic buckets 2 % wide, so any percentile read from it
/// is within 1 % of a recorded value. Sparse (only used buckets travel), merged by adding counts:
/// percentiles of merged histograms are percentiles of the union of samples, never averages.
/// Written here rather than taken from HdrHistogram because it must cross grains as a small
/// [Immutable] value and merge in grain state.
/// </summary>
[GenerateSerializer, Immutable, Alias("Cluster.LatencyHistogram")]
public sealed record LatencyHistogram(ImmutableSortedDictionary<int, long> Buckets, long Count, double SumSeconds)
{
    private const double Growth = 1.02;
    private const double MinSeconds = 1e-7;
    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>No samples.</summary>
    public static LatencyHistogram Empty { get; } = new(ImmutableSortedDictionary<int, long>.Empty, 0, 0);

    /// <summary>Mean of the samples in seconds (0 when empty).</summary>
    public double MeanSeconds => Count == 0 ? 0 : SumSeconds / Count;

    /// <summary>The bucket a duration falls in.</summary>
    public static int BucketOf(double seconds) => seconds <= MinSeconds ? 0 : (int)Math.Ceiling(Math.Log(seconds / MinSeconds) / LogGrowth);

    /// <summary>The value a bucket stands for: the geometric middle of its bounds.</summary>
    public static double ValueOf(int bucket) => bucket == 0 ? MinSeconds : MinSeconds * Math.Pow(Growth, bucket - 0.5);

    /// <summary>The <paramref name="quantile"/> (0–1) in seconds; 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        foreach (var (bucket, count) in Buckets)
        {
            seen += count;
            if (seen >= rank) return ValueOf(bucket);
        }
        return ValueOf(Buckets.Keys.Last());
    }
}
