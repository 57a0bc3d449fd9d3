using Cluster.Silo.Security;

namespace Cluster.Silo.Alerts;

/// <summary>Alert delivery's HTTP API; the alerts themselves are read at <c>GET /api/alerts</c> (Observability).</summary>
internal static class AlertsExtensions
{
    public static IEndpointRouteBuilder MapAlertWebhooks(this IEndpointRouteBuilder app)
    {
        AlertWebhookEndpoints.Map(app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Admin));
        return app;
    }
}
