using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Statistics;

namespace Cluster.Telemetry;

/// <summary>
/// The series Triton's users already chart, under Triton's names (<c>nv_inference_request_success</c>,
/// <c>_failure</c>, <c>nv_inference_count</c>, <c>nv_inference_exec_count</c>,
/// <c>nv_inference_request_duration_us</c>, <c>nv_inference_queue_duration_us</c>,
/// <c>nv_inference_compute_infer_duration_us</c>), cumulative per silo with labels model and
/// version. Filled from the summaries batch workers hand to the stats grains once a second, so the
/// request path pays nothing for them; they are read as gauges because the Prometheus exporter
/// would rename counters with a <c>_total</c> suffix.
/// </summary>
public sealed class TritonMetrics
{
    /// <summary>Meter name, to enable in OpenTelemetry.</summary>
    public const string MeterName = "Cluster.Triton";

    private readonly ConcurrentDictionary<(string Model, string Version), Totals> _totals = new();

    /// <summary>Creates the instruments once, from the host's meter factory.</summary>
    public TritonMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        Series(meter, "nv_inference_request_success", "Successful inference requests.", t => t.Success);
        Series(meter, "nv_inference_request_failure", "Failed inference requests.", t => t.Failure);
        Series(meter, "nv_inference_count", "Inferences performed (rows; a batch of n counts n).", t => t.Rows);
        Series(meter, "nv_inference_exec_count", "Model executions (batches).", t => t.Batches);
        Series(meter, "nv_inference_request_duration_us", "Cumulative end-to-end request time in the batch worker, microseconds.", t => t.RequestMicroseconds);
        Series(meter, "nv_inference_queue_duration_us", "Cumulative time requests waited in the queue, microseconds.", t => t.QueueMicroseconds);
        Series(meter, "nv_inference_compute_infer_duration_us", "Cumulative time ONNX Runtime spent on batches, microseconds.", t => t.ComputeMicroseconds);
    }

    /// <summary>Adds what one batch worker saw since its last summary.</summary>
    public void Add(string model, string version, StatsDelta delta)
    {
        var totals = _totals.GetOrAdd((model, version), _ => new Totals());
        lock (totals)
        {
            totals.Success += delta.Success;
            totals.Failure += delta.Failure;
            totals.Rows += delta.Rows;
            totals.Batches += delta.Batches;
            totals.RequestMicroseconds += (long)(delta.Request.SumSeconds * 1e6);
            totals.QueueMicroseconds += (long)(delta.Queue.SumSeconds * 1e6);
            totals.ComputeMicroseconds += (long)(delta.Compute.SumSeconds * 1e6);
        }
    }

    private void Series(Meter meter, string name, string description, Func<Totals, long> read) =>
        meter.CreateObservableGauge(name, () => _totals.Select(entry =>
        {
            long value;
            lock (entry.Value) value = read(entry.Value);
            return new Measurement<long>(value, new("model", entry.Key.Model), new("version", entry.Key.Version));
        }), description: description);

    private sealed class Totals
    {
        public long Success;
        public long Failure;
        public long Rows;
        public long Batches;
        public long RequestMicroseconds;
        public long QueueMicroseconds;
        public long ComputeMicroseconds;
    }
}
