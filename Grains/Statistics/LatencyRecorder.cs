namespace Cluster.Statistics;

/// <summary>
/// The mutable side of <see cref="LatencyHistogram"/>: counts samples on the hot path with no
/// allocation per sample, and hands out an immutable snapshot when asked. Not thread-safe: one
/// owner (a grain activation) records into it.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Dictionary<int, long> _buckets = [];
    private long _count;
    private double _sum;

    /// <summary>Samples recorded since the last <see cref="TakeSnapshot"/>.</summary>
    public long Count => _count;

    /// <summary>Records one duration.</summary>
    public void Record(TimeSpan duration)
    {
        var seconds = Math.Max(0, duration.TotalSeconds);
        var bucket = LatencyHistogram.BucketOf(seconds);
        _buckets[bucket] = _buckets.GetValueOrDefault(bucket) + 1;
        _count++;
        _sum += seconds;
    }

    /// <summary>What was recorded so far, and starts over.</summary>
    public LatencyHistogram TakeSnapshot()
    {
        if (_count == 0) return LatencyHistogram.Empty;
        var snapshot = new LatencyHistogram(System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(_buckets), _count, _sum);
        _buckets.Clear();
        _count = 0;
        _sum = 0;
        return snapshot;
    }
}
