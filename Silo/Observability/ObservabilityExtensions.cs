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

    /// <summary>Probes and <c>/metrics</c> on every silo; the rest on gateways (<paramref name="gateway"/>), the dashboard where it runs.</summary>
    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app, bool gateway, bool dashboard)
    {
        HealthEndpoints.Map(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (!gateway) return app;
        StatsEndpoints.Map(app);
        DriftEndpoints.Map(app);
        StatusEndpoints.Map(app);
        if (dashboard) app.MapOrleansDashboard("/dashboard");
        return app;
    }
}
