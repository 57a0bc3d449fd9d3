using Cluster.Silo.Security;

namespace Cluster.Silo.Cost;

/// <summary>Cost and capacity: figures and advice to readers (the <c>read</c> scope), applying advice to operators (<c>admin</c>).</summary>
internal static class CostExtensions
{
    public static IEndpointRouteBuilder MapCost(this IEndpointRouteBuilder app)
    {
        CostEndpoints.Map(app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read), app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Admin));
        return app;
    }
}
