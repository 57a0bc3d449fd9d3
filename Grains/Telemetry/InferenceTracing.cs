using System.Diagnostics;

namespace Cluster.Telemetry;

/// <summary>
/// The cluster's spans (activity source <c>Cluster.Inference</c>): parse, route, queue, batch,
/// compute and write. Grain calls carry the W3C trace context between silos (Orleans activity
/// propagation), so one request's spans form one trace from the gateway to the silo that computed it.
/// A span is only made under a recorded one, so with tracing off (or a request sampled out) each costs one check.
/// </summary>
public static class InferenceTracing
{
    /// <summary>Activity source name, to enable in OpenTelemetry.</summary>
    public const string SourceName = "Cluster.Inference";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span of ours under the current one, tagged with model and version.</summary>
    public static Activity? Start(string name, string model, string? version, ActivityKind kind = ActivityKind.Internal)
    {
        // Under a span nobody records (nothing exported, or sampled out) a child would be dropped too (parent-based sampling),
        // yet still be allocated for propagation: skip it, the parent already carries the context.
        if (Activity.Current is not { Recorded: true }) return null;
        var span = Source.StartActivity(name, kind);
        if (span is null) return null;
        span.SetTag("cluster.model", model);
        if (version is not null) span.SetTag("cluster.version", version);
        return span;
    }

    /// <summary>
    /// Starts a span of ours under <paramref name="parent"/> rather than the current span: for work
    /// that runs in another piece of work's async flow but belongs beside it (a pipeline step first
    /// read by a later step is still a child of the pipeline, not of that step).
    /// </summary>
    public static Activity? StartUnder(Activity? parent, string name, string model, string? version)
    {
        if (parent is not { Recorded: true }) return null;
        var span = Source.StartActivity(name, ActivityKind.Internal, parent.Context);
        if (span is null) return null;
        span.SetTag("cluster.model", model);
        if (version is not null) span.SetTag("cluster.version", version);
        return span;
    }

    /// <summary>Marks a span failed with the error's type and message (OpenTelemetry's error status).</summary>
    public static void Fail(this Activity? span, Exception error)
    {
        if (span is null) return;
        span.SetStatus(ActivityStatusCode.Error, error.Message);
        span.SetTag("error.type", error.GetType().Name);
    }
}
