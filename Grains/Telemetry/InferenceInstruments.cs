using System.Diagnostics;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Telemetry;

/// <summary>
/// The cluster's inference metrics (meter <c>Cluster.Inference</c>), readable by OpenTelemetry or
/// dotnet-counters. Durations in seconds; tags are model and version, never request ids.
/// </summary>
public sealed class InferenceInstruments
{
    /// <summary>Meter name to subscribe to.</summary>
    public const string MeterName = "Cluster.Inference";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _computeDuration;
    private readonly Histogram<long> _batchRows;
    private readonly Histogram<double> _queueDuration;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _alerts;
    private readonly Histogram<double> _coldStarts;
    private readonly Counter<long> _scaleChanges;
    private readonly Counter<long> _evictions;
    private readonly ConcurrentDictionary<object, (string Model, string Version, Func<BatchingStats> Read)> _workers = new();
    private readonly ConcurrentDictionary<object, (string Model, string Version, Func<(int Replicas, int Desired, double Load)> Read)> _scalers = new();
    private Func<(long Budget, long Used)>? _memory;

    /// <summary>Creates the instruments once, from the host's meter factory.</summary>
    public InferenceInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("cluster.inference.requests", description: "Inference requests routed, by outcome.");
        _requestDuration = meter.CreateHistogram<double>("cluster.inference.request.duration", unit: "s", description: "Time from routing to response.", tags: null, advice: HistogramBuckets.Seconds);
        _computeDuration = meter.CreateHistogram<double>("cluster.inference.compute.duration", unit: "s", description: "Time ONNX Runtime spent on a batch.", tags: null, advice: HistogramBuckets.Seconds);
        _batchRows = meter.CreateHistogram<long>("cluster.inference.batch.rows", description: "Rows per batch a replica ran.", tags: null, advice: HistogramBuckets.Rows);
        _cacheLookups = meter.CreateCounter<long>("cluster.inference.cache.lookups", description: "Response cache lookups, by result (hit or miss).");
        _alerts = meter.CreateCounter<long>("cluster.alerts.raised", description: "Alerts raised, by model, version and kind (drift_score, p99_latency_ms, error_rate).");
        _queueDuration = meter.CreateHistogram<double>("cluster.inference.queue.duration", unit: "s", description: "Time a request waited in a batch worker's queue.", tags: null, advice: HistogramBuckets.Seconds);
        meter.CreateObservableGauge("cluster.batching.max_batch_rows", () => Observe(s => s.MaxBatchRows), description: "Rows a batch worker puts in a batch now (tuned online in adaptive mode).");
        meter.CreateObservableGauge("cluster.batching.queue_delay", () => Observe(s => s.QueueDelay.TotalSeconds), unit: "s", description: "How long a batch worker lets the oldest request wait for a fuller batch.");
        meter.CreateObservableGauge("cluster.batching.observed_p95", () => Observe(s => s.ObservedP95.TotalSeconds), unit: "s", description: "Recent p95 latency an adaptive batch worker steers by.");
        meter.CreateObservableGauge("cluster.batching.queue.length", () => Observe(s => s.Queued), description: "Requests waiting in a batch worker.");
        _coldStarts = meter.CreateHistogram<double>("cluster.replicas.cold_start.duration", unit: "s", description: "How long requests that found no replica serving waited for one to load.", tags: null, advice: HistogramBuckets.Seconds);
        _scaleChanges = meter.CreateCounter<long>("cluster.replicas.scale_changes", description: "Replica count changes decided by autoscalers, by direction (up, down).");
        _evictions = meter.CreateCounter<long>("cluster.memory.evictions", description: "Versions unloaded to make room on a silo whose memory budget was full.");
        meter.CreateObservableGauge("cluster.memory.budget", () => _memory is { } read ? [new Measurement<long>(read().Budget)] : Array.Empty<Measurement<long>>(), unit: "By", description: "Bytes replica sessions may hold on this silo.");
        meter.CreateObservableGauge("cluster.memory.used", () => _memory is { } read ? [new Measurement<long>(read().Used)] : Array.Empty<Measurement<long>>(), unit: "By", description: "Bytes the loaded replica sessions hold on this silo (measured while loading, or declared).");
        meter.CreateObservableGauge("cluster.replicas.serving", () => ObserveScalers(s => s.Replicas), description: "Replicas serving a version, as its autoscaler sees them.");
        meter.CreateObservableGauge("cluster.replicas.desired", () => ObserveScalers(s => s.Desired), description: "Replicas the current load asks for.");
        meter.CreateObservableGauge("cluster.replicas.load", () => ObserveScalers(s => s.Load), description: "Ongoing requests (queued or running) over the cluster, mean of the last second.");
        meter.CreateObservableCounter("cluster.tensor_buffers.rented", () => TensorBuffers.Counts.Rented, description: "Large tensor arrays (85 KB or more) lent on this silo instead of allocated per request.");
        meter.CreateObservableCounter("cluster.tensor_buffers.reused", () => TensorBuffers.Counts.Reused, description: "Lent tensor arrays that were reused from the pool rather than allocated.");
    }

    /// <summary>Records how long a cold start kept requests waiting.</summary>
    public void RecordColdStart(string model, string version, TimeSpan waited)
    {
        if (_coldStarts.Enabled) _coldStarts.Record(waited.TotalSeconds, new("model", model), new("version", version));
    }

    /// <summary>Counts one replica count change an autoscaler made.</summary>
    public void RecordScaleChange(string model, string version, bool up)
    {
        if (_scaleChanges.Enabled) _scaleChanges.Add(1, new("model", model), new("version", version), new("direction", up ? "up" : "down"));
    }

    /// <summary>Counts one version evicted for memory.</summary>
    public void RecordEviction(string model, string version)
    {
        if (_evictions.Enabled) _evictions.Add(1, new("model", model), new("version", version));
    }

    /// <summary>Publishes the silo's memory budget and use as gauges.</summary>
    public void TrackMemory(Func<(long Budget, long Used)> read) => _memory = read;

    /// <summary>Publishes an autoscaler's figures as gauges until the returned handle is disposed.</summary>
    public IDisposable TrackScaling(string model, string version, Func<(int Replicas, int Desired, double Load)> read)
    {
        var handle = new ScalerRegistration(this);
        _scalers[handle] = (model, version, read);
        return handle;
    }

    private IEnumerable<Measurement<T>> ObserveScalers<T>(Func<(int Replicas, int Desired, double Load), T> value) where T : struct =>
        _scalers.Values.Select(w => new Measurement<T>(value(w.Read()), new("model", w.Model), new("version", w.Version)));

    private sealed class ScalerRegistration(InferenceInstruments owner) : IDisposable
    {
        public void Dispose() => owner._scalers.TryRemove(this, out _);
    }

    /// <summary>Records one routed request and how it ended (<c>success</c> or an error kind).</summary>
    public void RecordRequest(string model, string version, string outcome, TimeSpan elapsed)
    {
        if (_requests.Enabled) _requests.Add(1, Tags(model, version, outcome));
        if (_requestDuration.Enabled) _requestDuration.Record(elapsed.TotalSeconds, Tags(model, version, outcome));
    }

    /// <summary>Records one batch run by a replica.</summary>
    public void RecordBatch(string model, string version, long rows, TimeSpan compute)
    {
        if (_computeDuration.Enabled) _computeDuration.Record(compute.TotalSeconds, new("model", model), new("version", version));
        if (_batchRows.Enabled) _batchRows.Record(rows, new("model", model), new("version", version));
    }

    /// <summary>Records one response cache lookup.</summary>
    public void RecordCacheLookup(string model, string version, bool hit)
    {
        if (_cacheLookups.Enabled) _cacheLookups.Add(1, new("model", model), new("version", version), new("result", hit ? "hit" : "miss"));
    }

    /// <summary>Counts one alert raised.</summary>
    public void RecordAlertRaised(string model, string version, string kind)
    {
        if (_alerts.Enabled) _alerts.Add(1, new("model", model), new("version", version), new("kind", kind));
    }

    /// <summary>Records how long one request waited before its batch was sent.</summary>
    public void RecordQueueWait(string model, string version, TimeSpan waited)
    {
        if (_queueDuration.Enabled) _queueDuration.Record(waited.TotalSeconds, new("model", model), new("version", version));
    }

    /// <summary>Publishes a batch worker's settings as gauges until the returned handle is disposed.</summary>
    public IDisposable TrackBatching(string model, string version, Func<BatchingStats> read)
    {
        var handle = new Registration(this);
        _workers[handle] = (model, version, read);
        return handle;
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<BatchingStats, T> value) where T : struct =>
        _workers.Values.Select(w => new Measurement<T>(value(w.Read()), new("model", w.Model), new("version", w.Version)));

    private sealed class Registration(InferenceInstruments owner) : IDisposable
    {
        public void Dispose() => owner._workers.TryRemove(this, out _);
    }

    private static TagList Tags(string model, string version, string outcome) =>
        new() { { "model", model }, { "version", version }, { "outcome", outcome } };
}
