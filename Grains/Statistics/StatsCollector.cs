using System.Collections.Immutable;
using Cluster.Tensors;

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
    private Dictionary<string, OutputDistribution>? _outputs;
    private readonly Drift.InputProfiler _inputs = new();

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

    /// <summary>Bins the rows of a batch's outputs.</summary>
    public void RecordOutputs(IEnumerable<TensorData> outputs)
    {
        foreach (var output in outputs)
        {
            if (OutputProfiler.Profile(output) is not { } distribution) continue;
            _outputs ??= new Dictionary<string, OutputDistribution>(StringComparer.Ordinal);
            _outputs[output.Name] = _outputs.TryGetValue(output.Name, out var seen) ? seen.Merge(distribution) : distribution;
        }
    }

    /// <summary>Profiles a batch's inputs for drift.</summary>
    public void RecordInputs(IReadOnlyList<TensorData> inputs, int rows) => _inputs.Record(inputs, rows);

    /// <summary>The reference bins the stats grain answered with (null: sample toward a reference).</summary>
    public void UseBinning(Drift.DriftBinning? binning) => _inputs.Use(binning);

    /// <summary>Everything since the last call, and starts over.</summary>
    public StatsDelta TakeDelta()
    {
        var delta = new StatsDelta(_success, _failure, _rows, _batches, _request.TakeSnapshot(), _queue.TakeSnapshot(), _compute.TakeSnapshot(),
            _outputs?.ToImmutableDictionary(StringComparer.Ordinal),
            _inputs.Take());
        _outputs = null;
        _success = _failure = _rows = _batches = 0;
        return delta;
    }
}
