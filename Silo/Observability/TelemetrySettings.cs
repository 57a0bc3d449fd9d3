using System.ComponentModel.DataAnnotations;

namespace Cluster.Silo.Observability;

/// <summary>Where traces and metrics go besides /metrics (configuration section <c>Telemetry</c>).</summary>
public sealed class TelemetrySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>OTLP collector to export traces and metrics to (e.g. <c>http://collector:4317</c>); unset exports nothing, though trace ids still travel and come back in responses.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Share of new traces recorded (parent-based: a caller's sampled flag wins). Used when exporting.</summary>
    [Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 1.0;

    /// <summary>
    /// Whether grain calls carry the W3C context and make Orleans' spans (one trace across silos). Unset: on when
    /// exporting (<see cref="OtlpEndpoint"/>). Off, no span is made per grain call: a root span per call that nothing
    /// records was a sixth of a small model's allocations. Response trace ids and captured records' trace ids do not
    /// depend on it.
    /// </summary>
    public bool? TraceGrainCalls { get; set; }

    /// <summary>The effective <see cref="TraceGrainCalls"/>.</summary>
    public bool GrainCallsTraced => TraceGrainCalls ?? OtlpEndpoint is not null;
}
