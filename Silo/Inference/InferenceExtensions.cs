using Cluster.Grains;
using Cluster.Silo.Gateway;
using Cluster.Silo.Inference.Grpc;

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
        InferenceEndpoints.Map(app);
        app.MapGrpcService<GrpcInferenceEndpoint>();
        return app;
    }
}
