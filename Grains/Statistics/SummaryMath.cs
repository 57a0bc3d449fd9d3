using System.Collections.Immutable;
using Cluster.Drift;

namespace Cluster.Statistics;

/// <summary>
/// Adding and subtracting the mergeable summaries that travel between grains (latency histograms,
/// output distributions, input profiles, statistics deltas, shadow comparisons). The contracts
/// carry the data; the algebra lives here, once for every kind of sparse count.
/// </summary>
public static class SummaryMath
{
    /// <summary>The sum of two histograms.</summary>
    public static LatencyHistogram Merge(this LatencyHistogram left, LatencyHistogram right)
    {
        if (right.Count == 0) return left;
        if (left.Count == 0) return right;
        return new LatencyHistogram(Add(left.Buckets, right.Buckets), left.Count + right.Count, left.SumSeconds + right.SumSeconds);
    }

    /// <summary>What was added to <paramref name="total"/> since <paramref name="earlier"/>, a prefix of the same running total (never negative).</summary>
    public static LatencyHistogram Minus(this LatencyHistogram total, LatencyHistogram earlier)
    {
        if (earlier.Count == 0) return total;
        var buckets = Subtract(total.Buckets, earlier.Buckets);
        var count = buckets.Values.Sum();
        return count == 0 ? LatencyHistogram.Empty : new LatencyHistogram(buckets, count, Math.Max(0, total.SumSeconds - earlier.SumSeconds));
    }

    /// <summary>The sum of two distributions of the same output; one of another kind is ignored.</summary>
    public static OutputDistribution Merge(this OutputDistribution left, OutputDistribution right)
    {
        if (right.Rows == 0 || right.Classes != left.Classes) return left;
        if (left.Rows == 0) return right;
        return left with { Rows = left.Rows + right.Rows, Bins = Add(left.Bins, right.Bins) };
    }

    /// <summary>What was added to <paramref name="total"/> since <paramref name="earlier"/> (never negative).</summary>
    public static OutputDistribution Minus(this OutputDistribution total, OutputDistribution? earlier)
    {
        if (earlier is null || earlier.Rows == 0 || earlier.Classes != total.Classes) return total;
        var bins = Subtract(total.Bins, earlier.Bins);
        return total with { Rows = bins.Values.Sum(), Bins = bins };
    }

    /// <summary>The sum of two deltas.</summary>
    public static StatsDelta Merge(this StatsDelta left, StatsDelta right) => new(
        left.Success + right.Success, left.Failure + right.Failure, left.Rows + right.Rows, left.Batches + right.Batches,
        left.Request.Merge(right.Request), left.Queue.Merge(right.Queue), left.Compute.Merge(right.Compute),
        MergeByKey(left.Outputs, right.Outputs, Merge),
        left.Inputs is null ? right.Inputs : right.Inputs is null ? left.Inputs : left.Inputs.Merge(right.Inputs));

    /// <summary>What was added to <paramref name="total"/> since <paramref name="earlier"/>, an earlier reading of the same running total.</summary>
    public static StatsDelta Minus(this StatsDelta total, StatsDelta earlier) => new(
        Math.Max(0, total.Success - earlier.Success), Math.Max(0, total.Failure - earlier.Failure),
        Math.Max(0, total.Rows - earlier.Rows), Math.Max(0, total.Batches - earlier.Batches),
        total.Request.Minus(earlier.Request), total.Queue.Minus(earlier.Queue), total.Compute.Minus(earlier.Compute),
        total.Outputs?.ToImmutableDictionary(o => o.Key, o => o.Value.Minus(earlier.Outputs?.GetValueOrDefault(o.Key)), StringComparer.Ordinal));

    /// <summary>The sum of two profiles; histograms of different epochs keep the newer.</summary>
    public static InputProfile Merge(this InputProfile left, InputProfile right)
    {
        if (right.Rows == 0) return left;
        if (left.Rows == 0) return right;
        if (right.Epoch != left.Epoch) return right.Epoch > left.Epoch ? right : left;
        return new InputProfile(left.Rows + right.Rows, left.Epoch,
            MergeByKey(left.Samples, right.Samples, (mine, theirs) => mine.AddRange(theirs))!,
            MergeByKey(left.Histograms, right.Histograms, Merge)!);
    }

    /// <summary>The sum of two histograms over the same edges.</summary>
    public static FeatureHistogram Merge(this FeatureHistogram left, FeatureHistogram right)
    {
        if (right.Count == 0) return left;
        if (left.Count == 0 || left.Bins.Length != right.Bins.Length) return right;
        var bins = new long[left.Bins.Length];
        for (var i = 0; i < bins.Length; i++) bins[i] = left.Bins[i] + right.Bins[i];
        return new FeatureHistogram(left.Count + right.Count, left.Sum + right.Sum, left.SumSquares + right.SumSquares, [.. bins]);
    }

    /// <summary>The sum of two comparisons of one output.</summary>
    public static OutputDifference Merge(this OutputDifference left, OutputDifference right) => new(
        left.Elements + right.Elements, left.SumAbsDifference + right.SumAbsDifference, Math.Max(left.MaxAbsDifference, right.MaxAbsDifference),
        left.Rows + right.Rows, left.AgreedRows + right.AgreedRows);

    /// <summary>The sum of two shadow comparisons.</summary>
    public static ShadowComparison Merge(this ShadowComparison left, ShadowComparison right) => new(
        left.Mirrored + right.Mirrored, left.Failed + right.Failed, left.Skipped + right.Skipped,
        left.Latency.Merge(right.Latency), MergeByKey(left.Outputs, right.Outputs, Merge)!);

    /// <summary>Entries of both maps, those under the same key merged; null or empty on one side gives the other.</summary>
    public static ImmutableDictionary<string, T>? MergeByKey<T>(ImmutableDictionary<string, T>? left, ImmutableDictionary<string, T>? right, Func<T, T, T> merge)
    {
        if (right is null || right.Count == 0) return left;
        if (left is null || left.Count == 0) return right;
        var merged = left.ToBuilder();
        foreach (var (key, value) in right) merged[key] = merged.TryGetValue(key, out var mine) ? merge(mine, value) : value;
        return merged.ToImmutable();
    }

    private static ImmutableSortedDictionary<int, long> Add(ImmutableSortedDictionary<int, long> left, ImmutableSortedDictionary<int, long> right)
    {
        var sum = left.ToBuilder();
        foreach (var (bin, count) in right) sum[bin] = sum.GetValueOrDefault(bin) + count;
        return sum.ToImmutable();
    }

    private static ImmutableSortedDictionary<int, long> Subtract(ImmutableSortedDictionary<int, long> total, ImmutableSortedDictionary<int, long> earlier)
    {
        var left = ImmutableSortedDictionary.CreateBuilder<int, long>();
        foreach (var (bin, count) in total)
        {
            var remaining = count - earlier.GetValueOrDefault(bin);
            if (remaining > 0) left[bin] = remaining;
        }
        return left.ToImmutable();
    }
}
