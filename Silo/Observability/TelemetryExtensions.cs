using Cluster.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Cluster.Silo.Observability;

/// <summary>Prometheus metrics of the cluster (meters <c>Cluster.Inference</c> and <c>Cluster.Triton</c>) and of Orleans, through OpenTelemetry.</summary>
internal static class TelemetryExtensions
{
    public static WebApplicationBuilder AddClusterTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cluster-silo"))
            .WithMetrics(metrics => metrics
                .AddMeter(InferenceInstruments.MeterName, TritonMetrics.MeterName, "Microsoft.Orleans")
                .AddPrometheusExporter());
        return builder;
    }
}
