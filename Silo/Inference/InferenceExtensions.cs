using Cluster.Grains;
using Cluster.Silo.Gateway;
using Cluster.Silo.Inference.Grpc;
using Cluster.Silo.Security;
using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Inference;

/// <summary>The inference hot path: the v2 REST endpoints (JSON and binary tensor data) and the v2 gRPC service.</summary>
internal static class InferenceExtensions
{
    public static IServiceCollection AddInference(this IServiceCollection services, GatewaySettings gateway)
    {
        services.AddSingleton<RouterGrains>();
        services.AddGrpc(o => o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, gateway.MaxRequestBodyBytes));
        return services;
    }

    public static IEndpointRouteBuilder MapInference(this IEndpointRouteBuilder app)
    {
        InferenceEndpoints.Map(
            app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read),
            app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Infer));
        // Each gRPC method declares its own policy (attributes on the service); methods it does not implement need read.
        app.MapGrpcService<GrpcInferenceEndpoint>().Add(endpoint =>
        {
            if (!endpoint.Metadata.Any(m => m is IAuthorizeData or IAllowAnonymous)) endpoint.Metadata.Add(new AuthorizeAttribute(ApiKeyPolicies.Read));
        });
        return app;
    }
}
