using Cluster.Silo.Security;
using Cluster.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;

namespace Cluster.Silo.Observability;

/// <summary>
/// Health probes, Prometheus metrics (meters <c>Cluster.Inference</c>, <c>Cluster.Triton</c> and Orleans', through
/// OpenTelemetry), statistics, drift and alerts, the status page and the Orleans dashboard.
/// </summary>
internal static class ObservabilityExtensions
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cluster-silo"))
            .WithMetrics(metrics => metrics
                .AddMeter(InferenceInstruments.MeterName, TritonMetrics.MeterName, "Microsoft.Orleans")
                .AddPrometheusExporter());
        return builder;
    }

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
        if (dashboard) app.MapOrleansDashboard("/dashboard").RequireAuthorization(ApiKeyPolicies.Admin);
        return app;
    }
}
