namespace Cluster.Silo.Traffic;

/// <summary>How requests spread over versions: traffic policies, rollouts, bandit feedback and the figures of an A/B test.</summary>
internal static class TrafficExtensions
{
    public static IEndpointRouteBuilder MapTraffic(this IEndpointRouteBuilder app)
    {
        TrafficEndpoints.Map(app);
        RolloutEndpoints.Map(app);
        FeedbackEndpoints.Map(app);
        TrafficFiguresEndpoints.Map(app);
        return app;
    }
}
