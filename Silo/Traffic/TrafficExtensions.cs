using Cluster.Silo.Security;

namespace Cluster.Silo.Traffic;

/// <summary>How requests spread over versions: traffic policies, rollouts, bandit feedback and the figures of an A/B test.</summary>
internal static class TrafficExtensions
{
    public static IEndpointRouteBuilder MapTraffic(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read);
        var admin = app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Admin);
        var infer = app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Infer);
        TrafficEndpoints.Map(read, admin);
        RolloutEndpoints.Map(read, admin);
        FeedbackEndpoints.Map(infer);
        TrafficFiguresEndpoints.Map(read);
        return app;
    }
}
