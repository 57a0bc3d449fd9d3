using System.Collections.ObjectModel;
using System.Diagnostics.Metrics;

namespace Cluster.Telemetry;

/// <summary>
/// Bucket boundaries for our histograms. Without advice, OpenTelemetry uses its millisecond defaults
/// (0, 5, 10, … 10000), which put every duration measured in seconds into the first bucket and make
/// Prometheus' histogram_quantile answer nonsense.
/// </summary>
internal static class HistogramBuckets
{
    /// <summary>Durations: 50 µs doubling up to 105 s, so any quantile is known within a factor of 2.</summary>
    public static InstrumentAdvice<double> Seconds { get; } = new() { HistogramBucketBoundaries = Doubling(50e-6, 60) };

    /// <summary>Rows per batch: powers of two up to 4096.</summary>
    public static InstrumentAdvice<long> Rows { get; } = new() { HistogramBucketBoundaries = new ReadOnlyCollection<long>([.. Enumerable.Range(0, 13).Select(i => 1L << i)]) };

    private static ReadOnlyCollection<double> Doubling(double first, double last)
    {
        var bounds = new List<double>();
        for (var bound = first; bounds.Count == 0 || bounds[^1] < last; bound *= 2) bounds.Add(bound);
        return bounds.AsReadOnly();
    }
}
