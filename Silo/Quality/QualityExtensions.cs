using Cluster.Silo.Security;

namespace Cluster.Silo.Quality;

/// <summary>
/// Model quality: ground truth in (the <c>infer</c> scope, like bandit feedback: whoever asks for predictions reports how they
/// turned out; admin keys pass too) and quality statistics out (the <c>read</c> scope).
/// </summary>
internal static class QualityExtensions
{
    public static IEndpointRouteBuilder MapQuality(this IEndpointRouteBuilder app)
    {
        GroundTruthEndpoints.Map(app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Infer));
        QualityEndpoints.Map(app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read));
        return app;
    }
}
