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

    /// <summary>The gateway's trace id for this request, else the current span's (a sampled trace, or a .NET client's span); null outside any trace.</summary>
    public static string? Current => RequestContext.Get(Key) as string ?? (Activity.Current is { } span ? span.TraceId.ToHexString() : null);
}
