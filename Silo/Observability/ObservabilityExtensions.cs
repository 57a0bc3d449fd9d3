using Cluster.Silo.Gateway;
using Cluster.Silo.Security;
using Cluster.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Npgsql;
using Orleans.Dashboard;

namespace Cluster.Silo.Observability;

/// <summary>
/// Health probes, Prometheus metrics (meters <c>Cluster.Inference</c>, <c>Cluster.Triton</c>, <c>Cluster.Alerts</c>, Orleans' and .NET's runtime meter, through
/// OpenTelemetry), statistics, drift and alerts, the status page and the Orleans dashboard.
/// </summary>
internal static class ObservabilityExtensions
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, TelemetrySettings telemetry)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cluster-silo"))
            .WithMetrics(metrics =>
            {
                // "System.Runtime" is .NET's own meter (GC collections by generation, bytes allocated, thread pool): what an
                // operator checks first when a silo's CPU goes somewhere other than inference.
                metrics.AddMeter(InferenceInstruments.MeterName, TritonMetrics.MeterName, Cluster.Alerts.AlertInstruments.MeterName, "Microsoft.Orleans", "System.Runtime").AddPrometheusExporter();
                if (telemetry.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
            })
            // Always on, even with nothing to export: spans carry the W3C context through grain calls and give every response its trace id.
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(InferenceTracing.SourceName, "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation()
                    .AddNpgsql()
                    .SetSampler(telemetry.OtlpEndpoint is null
                        ? new AlwaysOffSampler()
                        : new RequestSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.SampleRatio))));
                if (telemetry.OtlpEndpoint is { } endpoint) tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
            });
        return builder;
    }

    /// <summary>
    /// Every response carries the W3C <c>traceparent</c> of its request's span (the caller's trace when it sent one, a new one
    /// otherwise), so a caller can find the request's trace, or quote its id, whether or not it was sampled.
    /// </summary>
    public static IApplicationBuilder UseTraceparentResponse(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (RequestTrace.Traceparent(http) is { } traceparent) http.Response.Headers["traceparent"] = traceparent;
        return next(http);
    });

    /// <summary>
    /// Probes (open) and <c>/metrics</c> on every silo; statistics, drift, alerts and the status page on gateways
    /// (<paramref name="gateway"/>), and the dashboard (admin) where it runs.
    /// </summary>
    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app, bool gateway, bool dashboard)
    {
        var open = app.MapGroup("").AllowAnonymous();
        var read = app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read);
        HealthEndpoints.Map(open);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiKeyPolicies.Read);
        if (!gateway) return app;
        StatsEndpoints.Map(read);
        DriftEndpoints.Map(read, app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Admin));
        StatusEndpoints.Map(open, read);
        HistoryEndpoints.Map(open, read);
        if (dashboard) app.MapOrleansDashboard("/dashboard").RequireAuthorization(ApiKeyPolicies.Admin);
        return app;
    }
}
