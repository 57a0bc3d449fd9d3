namespace Cluster.Batching;

/// <summary>Time-weighted mean of ongoing requests (queued or running) between reports.</summary>
internal sealed class LoadMeter
{
    private long _since;
    private long _changedAt;
    private int _ongoing;
    private double _area;

    public LoadMeter(long now) => _since = _changedAt = now;

    public int Ongoing => _ongoing;

    /// <summary>Notes that <paramref name="ongoing"/> requests are ongoing from <paramref name="now"/> on.</summary>
    public void Set(long now, int ongoing)
    {
        _area += (double)_ongoing * (now - _changedAt);
        _changedAt = now;
        _ongoing = ongoing;
    }

    /// <summary>The mean since the last call, and starts a new interval.</summary>
    public double TakeAverage(long now)
    {
        Set(now, _ongoing);
        var span = now - _since;
        var average = span > 0 ? _area / span : _ongoing;
        _area = 0;
        _since = now;
        return average;
    }
}
