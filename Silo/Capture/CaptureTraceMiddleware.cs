using Cluster.Capture;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;
using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Capture;

/// <summary>
/// Gives inference calls the request's trace id (<see cref="CaptureTrace"/>), so a captured record names the trace its
/// response's <c>traceparent</c> names even when the trace is not sampled. Sampled traces reach the router through
/// Orleans' own propagation, so only unsampled ones pay for the extra request-context entry.
/// </summary>
internal sealed class CaptureTraceMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (RequestTrace.Span(context) is { Recorded: false } span && IsInference(context.GetEndpoint())) CaptureTrace.Set(span.TraceId.ToHexString());
        return next(context);
    }

    private static bool IsInference(Endpoint? endpoint)
    {
        foreach (var data in endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? [])
        {
            if (data.Policy == ApiKeyPolicies.Infer) return true;
        }
        return false;
    }
}
