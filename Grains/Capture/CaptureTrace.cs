using System.Diagnostics;

namespace Cluster.Capture;

/// <summary>
/// The trace id a captured record names when its request does not carry one (<see cref="Inference.InferenceRequest.TraceId"/>,
/// which the gateway sets): the current span's, or the one a caller such as the .NET client put in the call's context.
/// </summary>
public static class CaptureTrace
{
    // Where Orleans' propagation (on a caller such as the .NET client) puts the W3C context of a grain call: "00-<trace>-<span>-<flags>".
    private const string Traceparent = "traceparent";

    /// <summary>
    /// The current span's trace id (a traced grain call), else the one a caller put in the call's context (a .NET client's
    /// span, when this silo does not trace grain calls); null outside any trace.
    /// </summary>
    public static string? Current => Activity.Current is { } span
        ? span.TraceId.ToHexString()
        : RequestContext.Get(Traceparent) is string { Length: >= 55 } traceparent && ActivityContext.TryParse(traceparent, null, out var context)
            ? context.TraceId.ToHexString()
            : null;
}
