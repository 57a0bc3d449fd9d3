namespace Cluster.Batching;

/// <summary>
/// Tunes the batch size online to keep request latency under a p95 target (AIMD, as Clipper does):
/// a batch whose compute alone takes more than half the target shrinks the size by a quarter,
/// since a request may wait for one batch and then run in the next; a full batch computed well
/// within budget grows it by one. It never waits for a batch, so a lone request is sent at once.
/// </summary>
internal sealed class AdaptiveBatchController
{
    private const double DecreaseAbove = 0.5;
    private const double IncreaseBelow = 0.4;
    private readonly int _maxBatchRows;
    private readonly double _targetSeconds;
    private readonly LatencyWindow _latencies = new(256);

    public AdaptiveBatchController(int maxBatchRows, TimeSpan target)
    {
        _maxBatchRows = Math.Max(1, maxBatchRows);
        _targetSeconds = target.TotalSeconds;
        MaxBatchRows = Math.Min(_maxBatchRows, 8);
    }

    /// <summary>Rows to put in the next batch.</summary>
    public int MaxBatchRows { get; private set; }

    /// <summary>p95 of recent request latencies.</summary>
    public TimeSpan ObservedP95 => _latencies.Percentile(0.95);

    /// <summary>Feeds one completed batch: its rows and the time ONNX Runtime spent on it.</summary>
    public void OnBatch(int rows, TimeSpan compute)
    {
        var seconds = compute.TotalSeconds;
        if (seconds > _targetSeconds * DecreaseAbove && MaxBatchRows > 1)
        {
            MaxBatchRows = Math.Max(1, MaxBatchRows * 3 / 4);
        }
        else if (rows >= MaxBatchRows && seconds < _targetSeconds * IncreaseBelow && MaxBatchRows < _maxBatchRows)
        {
            MaxBatchRows++;
        }
    }

    /// <summary>Feeds one request's latency (queue + compute) for the observed p95.</summary>
    public void OnRequest(TimeSpan latency) => _latencies.Add(latency);
}
