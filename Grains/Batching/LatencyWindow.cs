namespace Cluster.Batching;

/// <summary>The last N latencies, for a cheap recent percentile.</summary>
internal sealed class LatencyWindow(int capacity)
{
    private readonly TimeSpan[] _samples = new TimeSpan[capacity];
    private int _count;
    private int _next;

    public void Add(TimeSpan sample)
    {
        _samples[_next] = sample;
        _next = (_next + 1) % _samples.Length;
        _count = Math.Min(_count + 1, _samples.Length);
    }

    public TimeSpan Percentile(double quantile)
    {
        if (_count == 0) return TimeSpan.Zero;
        var sorted = _samples.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(_count - 1, (int)Math.Ceiling(quantile * _count) - 1)];
    }
}
