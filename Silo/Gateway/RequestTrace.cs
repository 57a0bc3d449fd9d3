using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Silo.Gateway;

/// <summary>The trace of an incoming HTTP or gRPC request: its span (ASP.NET Core's) and that span's W3C <c>traceparent</c>.</summary>
internal static class RequestTrace
{
    public static Activity? Span(HttpContext http) => http.Features.Get<IHttpActivityFeature>()?.Activity;

    /// <summary>32 hex digits of the request's trace (the one its <c>traceparent</c> answer names); null without a span.</summary>
    public static string? TraceId(HttpContext http) => Span(http) is { } span ? span.TraceId.ToHexString() : null;

    public static string? Traceparent(HttpContext http) => Span(http) is { IdFormat: ActivityIdFormat.W3C } span ? span.Id : null;

    /// <summary>Names the model and version on the request's span, so traces can be searched by them.</summary>
    public static void Tag(HttpContext http, string model, string? version)
    {
        if (Span(http) is not { IsAllDataRequested: true } span) return;
        span.SetTag("cluster.model", model);
        if (version is not null) span.SetTag("cluster.version", version);
    }
}
