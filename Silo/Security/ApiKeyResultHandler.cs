using Cluster.Silo.Gateway;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Cluster.Silo.Security;

/// <summary>Answers a key refused by a policy with 403 and the reason (the scope or the model it lacks); challenges go to the scheme (401).</summary>
internal sealed class ApiKeyResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault() is { } reason
            ? JsonResults.Error(context.Response, StatusCodes.Status403Forbidden, reason.Message)
            : _default.HandleAsync(next, context, policy, authorizeResult);
}
