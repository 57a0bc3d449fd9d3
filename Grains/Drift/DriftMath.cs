using System.Collections.Immutable;
using Cluster.Statistics;

namespace Cluster.Drift;

/// <summary>Builds references from samples and compares binned counts: PSI and the binned KS statistic.</summary>
public static class DriftMath
{
    /// <summary>Bins per feature: edges at the deciles of the reference sample.</summary>
    public const int Bins = 10;

    /// <summary>The bin of <paramref name="value"/>: the number of edges strictly below it (ties fall into the lower bin).</summary>
    public static int BinOf(ImmutableArray<double> edges, double value)
    {
        int low = 0, high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (edges[middle] < value) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>A feature's reference from sampled values: decile edges (duplicates dropped), counts, mean and variance.</summary>
    public static FeatureReference Reference(IReadOnlyList<double> sample)
    {
        var sorted = sample.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return new FeatureReference([0], [0, 0], 0, 0);
        var edges = Enumerable.Range(1, Bins - 1)
            .Select(i => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(i * sorted.Length / (double)Bins))])
            .Distinct()
            .ToImmutableArray();
        var bins = new long[edges.Length + 1];
        foreach (var value in sorted) bins[BinOf(edges, value)]++;
        var mean = sorted.Average();
        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        return new FeatureReference(edges, [.. bins], mean, variance);
    }

    /// <summary>Counts values into the bins of <paramref name="edges"/>.</summary>
    public static FeatureHistogram Histogram(ImmutableArray<double> edges, IEnumerable<double> values)
    {
        var bins = new long[edges.Length + 1];
        long count = 0;
        double sum = 0, squares = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value)) continue;
            bins[BinOf(edges, value)]++;
            count++;
            sum += value;
            squares += value * value;
        }
        return new FeatureHistogram(count, sum, squares, [.. bins]);
    }

    /// <summary>
    /// Population stability index between two output distributions over the union of their bins
    /// (see <see cref="Psi(IReadOnlyList{long}, IReadOnlyList{long})"/>); 0 when either is empty or they are of different kinds.
    /// </summary>
    public static double Psi(OutputDistribution actual, OutputDistribution expected)
    {
        if (actual.Rows == 0 || expected.Rows == 0 || actual.Classes != expected.Classes) return 0;
        var bins = actual.Bins.Keys.Union(expected.Bins.Keys).ToArray();
        return Psi([.. bins.Select(b => actual.Bins.GetValueOrDefault(b))], [.. bins.Select(b => expected.Bins.GetValueOrDefault(b))]);
    }

    /// <summary>
    /// Population stability index of <paramref name="actual"/> against <paramref name="expected"/>:
    /// Σ (p − q)·ln(p / q), with half a count added to every bin so an empty bin does not make it
    /// infinite. Conventional reading: below 0.1 no real shift, 0.1–0.25 moderate, above 0.25 major.
    /// </summary>
    public static double Psi(IReadOnlyList<long> actual, IReadOnlyList<long> expected)
    {
        if (actual.Count != expected.Count || actual.Count == 0) return 0;
        var actualTotal = actual.Sum() + 0.5 * actual.Count;
        var expectedTotal = expected.Sum() + 0.5 * expected.Count;
        var index = 0.0;
        for (var i = 0; i < actual.Count; i++)
        {
            var p = (actual[i] + 0.5) / actualTotal;
            var q = (expected[i] + 0.5) / expectedTotal;
            index += (p - q) * Math.Log(p / q);
        }
        return index;
    }

    /// <summary>The largest gap between the two cumulative distributions at the bin edges (0–1).</summary>
    public static double Ks(IReadOnlyList<long> actual, IReadOnlyList<long> expected)
    {
        double actualTotal = actual.Sum(), expectedTotal = expected.Sum();
        if (actualTotal == 0 || expectedTotal == 0 || actual.Count != expected.Count) return 0;
        double a = 0, e = 0, largest = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            a += actual[i] / actualTotal;
            e += expected[i] / expectedTotal;
            largest = Math.Max(largest, Math.Abs(a - e));
        }
        return largest;
    }
}
