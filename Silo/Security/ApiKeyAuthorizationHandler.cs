using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Security;

/// <summary>
/// Judges <see cref="ApiKeyRequirement"/> on the key <see cref="ApiKeyAuthenticationHandler"/> found:
/// without a valid key it fails with no reason (answered 401); a key that lacks the scope or the
/// route's model fails with the reason (answered 403 with it). On an open gateway it always passes.
/// </summary>
internal sealed class ApiKeyAuthorizationHandler(IOptionsMonitor<ApiKeyAuthenticationOptions> options) : AuthorizationHandler<ApiKeyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiKeyRequirement requirement)
    {
        if (!options.Get(ApiKeyAuthenticationHandler.SchemeName).Required)
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http && ApiKeyAuthenticationHandler.KeyOf(http) is { } key)
        {
            if (!key.Allows(requirement.Scope))
            {
                context.Fail(new AuthorizationFailureReason(this, $"Key {key.Id} lacks the '{requirement.Scope.ToString().ToLowerInvariant()}' scope this request needs."));
            }
            else if (http.GetRouteValue("model") is string model && !key.Covers(model))
            {
                context.Fail(new AuthorizationFailureReason(this, $"Key {key.Id} is not allowed to use model '{model}'."));
            }
            else
            {
                context.Succeed(requirement);
            }
        }
        return Task.CompletedTask;
    }
}
