namespace Cluster.Statistics;

/// <summary>Counts and histograms a batch worker fills on the request path and hands over as a <see cref="StatsDelta"/> about every second.</summary>
internal sealed class StatsCollector
{
    private readonly LatencyRecorder _request = new();
    private readonly LatencyRecorder _queue = new();
    private readonly LatencyRecorder _compute = new();
    private long _success;
    private long _failure;
    private long _rows;
    private long _batches;

    public void RecordQueueWait(TimeSpan waited) => _queue.Record(waited);

    public void RecordSuccess(TimeSpan latency)
    {
        _success++;
        _request.Record(latency);
    }

    public void RecordFailures(int requests) => _failure += requests;

    public void RecordBatch(int rows, TimeSpan compute)
    {
        _batches++;
        _rows += rows;
        _compute.Record(compute);
    }

    /// <summary>Everything since the last call, and starts over.</summary>
    public StatsDelta TakeDelta()
    {
        var delta = new StatsDelta(_success, _failure, _rows, _batches, _request.TakeSnapshot(), _queue.TakeSnapshot(), _compute.TakeSnapshot());
        _success = _failure = _rows = _batches = 0;
        return delta;
    }
}
