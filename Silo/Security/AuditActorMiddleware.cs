using Cluster.Audit;
using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Security;

/// <summary>
/// Makes the request's key the audit actor of every grain call the request makes (<c>key:&lt;id&gt;</c>;
/// <c>anonymous</c> on an open gateway), except on inference endpoints: inference changes nothing
/// that is audited, and the actor would ride along in every message it sends.
/// </summary>
internal sealed class AuditActorMiddleware(RequestDelegate next, bool keysRequired)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsInference(context.GetEndpoint()))
        {
            if (ApiKeyAuthenticationHandler.KeyOf(context) is { } key) AuditActor.Set($"key:{key.Id}");
            else if (!keysRequired) AuditActor.Set("anonymous");
        }
        await next(context);
    }

    private static bool IsInference(Endpoint? endpoint)
    {
        foreach (var data in endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? [])
        {
            if (data.Policy == ApiKeyPolicies.Infer) return true;
        }
        return false;
    }
}
