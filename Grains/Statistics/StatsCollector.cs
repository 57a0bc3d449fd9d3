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
    private readonly Dictionary<string, (bool Classes, Dictionary<int, long> Counts)> _outputs = new(StringComparer.Ordinal);
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

    /// <summary>Bins the rows of a batch's outputs into running counts (built into distributions once per push).</summary>
    public void RecordOutputs(IEnumerable<TensorData> outputs)
    {
        foreach (var output in outputs)
        {
            if (!_outputs.TryGetValue(output.Name, out var entry)) entry = (false, []);
            if (OutputProfiler.Count(output, entry.Counts) is not { } classes) continue;
            _outputs[output.Name] = (classes, entry.Counts);
        }
    }

    /// <summary>Profiles a batch's inputs for drift.</summary>
    public void RecordInputs(IReadOnlyList<TensorData> inputs, int rows) => _inputs.Record(inputs, rows);

    /// <summary>The reference bins the stats grain answered with (null: sample toward a reference).</summary>
    public void UseBinning(Drift.DriftBinning? binning) => _inputs.Use(binning);

    private ImmutableDictionary<string, OutputDistribution>? TakeOutputs()
    {
        if (_outputs.Count == 0) return null;
        var taken = _outputs
            .Where(o => o.Value.Counts.Count > 0)
            .ToImmutableDictionary(o => o.Key, o => new OutputDistribution(o.Value.Classes, o.Value.Counts.Values.Sum(), o.Value.Counts.ToImmutableSortedDictionary()), StringComparer.Ordinal);
        _outputs.Clear();
        return taken.IsEmpty ? null : taken;
    }

    /// <summary>Everything since the last call, and starts over.</summary>
    public StatsDelta TakeDelta()
    {
        var delta = new StatsDelta(_success, _failure, _rows, _batches, _request.TakeSnapshot(), _queue.TakeSnapshot(), _compute.TakeSnapshot(),
            TakeOutputs(),
            _inputs.Take());
        _success = _failure = _rows = _batches = 0;
        return delta;
    }
}
