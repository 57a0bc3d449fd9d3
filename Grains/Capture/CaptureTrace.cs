using System.Diagnostics;

namespace Cluster.Capture;

/// <summary>
/// The trace id a captured record names. Orleans carries the W3C context through grain calls only for
/// sampled traces, yet every response names its trace (the <c>traceparent</c> header); so the gateway
/// puts the request's trace id in the request context for inference calls, and the router reads it there.
/// </summary>
public static class CaptureTrace
{
    private const string Key = "cluster.trace";

    /// <summary>Sets the trace id (32 hex digits) for the grain calls that follow on this async flow.</summary>
    public static void Set(string traceId) => RequestContext.Set(Key, traceId);

    // Where Orleans' propagation (on a caller such as the .NET client) puts the W3C context of a grain call: "00-<trace>-<span>-<flags>".
    private const string Traceparent = "traceparent";

    /// <summary>
    /// The gateway's trace id for this request, else the current span's (a traced grain call), else the one a caller put in the
    /// call's context (a .NET client's span, when this silo does not trace grain calls); null outside any trace.
    /// </summary>
    public static string? Current => RequestContext.Get(Key) as string
        ?? (Activity.Current is { } span ? span.TraceId.ToHexString() : null)
        ?? (RequestContext.Get(Traceparent) is string { Length: >= 55 } traceparent && ActivityContext.TryParse(traceparent, null, out var context)
            ? context.TraceId.ToHexString()
            : null);
}
