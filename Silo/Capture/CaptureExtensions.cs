using Cluster.Silo.Security;

namespace Cluster.Silo.Capture;

/// <summary>Prediction capture: the writer that stores what routers sample (every silo), and the export endpoint (gateways).</summary>
internal static class CaptureExtensions
{
    public static IServiceCollection AddCapture(this IServiceCollection services) => services.AddHostedService<CaptureWriter>();

    public static IEndpointRouteBuilder MapCapture(this IEndpointRouteBuilder app)
    {
        CaptureEndpoints.Map(app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Capture));
        return app;
    }
}
