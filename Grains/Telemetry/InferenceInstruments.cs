using System.Diagnostics;
using System.Diagnostics.Metrics;

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

    /// <summary>Creates the instruments once, from the host's meter factory.</summary>
    public InferenceInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("cluster.inference.requests", description: "Inference requests routed, by outcome.");
        _requestDuration = meter.CreateHistogram<double>("cluster.inference.request.duration", unit: "s", description: "Time from routing to response.");
        _computeDuration = meter.CreateHistogram<double>("cluster.inference.compute.duration", unit: "s", description: "Time ONNX Runtime spent on a batch.");
        _batchRows = meter.CreateHistogram<long>("cluster.inference.batch.rows", description: "Rows per batch a replica ran.");
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

    private static TagList Tags(string model, string version, string outcome) =>
        new() { { "model", model }, { "version", version }, { "outcome", outcome } };
}
