using Cluster.Security;

namespace Cluster.Silo.Security;

/// <summary>Which scope a request needs, and which model it touches, from its method and path.</summary>
internal static class RequiredAccess
{
    /// <summary>The scope (None for open paths: health probes and the status page's HTML) and the model named in the path, if any.</summary>
    public static (ApiKeyScope Scope, string? Model) Of(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var model = segments.Length >= 3 && segments[1] == "models" && segments[0] is "v2" or "api" ? segments[2] : null;
        if (path.StartsWith("/v2/health/", StringComparison.Ordinal) || path == "/") return (ApiKeyScope.None, null);
        // gRPC names the model inside the message; the service checks a key's model list itself.
        if (segments is ["inference.GRPCInferenceService", var method])
        {
            return method switch
            {
                "ServerLive" or "ServerReady" => (ApiKeyScope.None, null),
                "ModelInfer" => (ApiKeyScope.Infer, null),
                _ => (ApiKeyScope.Read, null),
            };
        }
        if (path.StartsWith("/dashboard", StringComparison.Ordinal) || path.StartsWith("/api/keys", StringComparison.Ordinal) || path.StartsWith("/api/audit", StringComparison.Ordinal))
        {
            return (ApiKeyScope.Admin, model);
        }
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (segments is ["v2", "models", _, "infer"] or ["v2", "models", _, "versions", _, "infer"] or ["api", "models", _, "feedback"])
        {
            return (ApiKeyScope.Infer, model);
        }
        return (isRead ? ApiKeyScope.Read : ApiKeyScope.Admin, model);
    }
}
