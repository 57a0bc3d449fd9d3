using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Protocol.V2;
using Cluster.Repository;
using Cluster.Silo.Gateway;
using Cluster.Telemetry;
using Cluster.Silo.Security;
using Cluster.Tensors;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>
/// The v2 gRPC service (<c>inference.GRPCInferenceService</c>) on the gateway, over the same grains
/// as REST, with REST's errors mapped to gRPC status codes.
/// </summary>
[BindServiceMethod(typeof(GrpcInferenceBinding), nameof(GrpcInferenceBinding.BindService))]
internal sealed class GrpcInferenceEndpoint(IGrainFactory grains, RouterGrains routers, IServiceProvider services) : GRPCInferenceService.GRPCInferenceServiceBase
{
    [AllowAnonymous]
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    [AllowAnonymous]
    public override async Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        new() { Ready = await Readiness.IsReady(grains, services.GetService<RepositoryLoadState>()) };

    [Authorize(ApiKeyPolicies.Read)]
    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) => GrpcErrors.Map(async () =>
    {
        Authorize(context, request.Name);
        var entry = await Find(request.Name, request.Version);
        return new ModelReadyResponse { Ready = entry.Status == VersionStatus.Ready };
    });

    [Authorize(ApiKeyPolicies.Read)]
    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var response = new ServerMetadataResponse { Name = "cluster", Version = typeof(GrpcInferenceEndpoint).Assembly.GetName().Version?.ToString(3) ?? "" };
        response.Extensions.AddRange(["model_repository", "statistics", "binary_tensor_data"]);
        return Task.FromResult(response);
    }

    [Authorize(ApiKeyPolicies.Read)]
    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) => GrpcErrors.Map(async () =>
    {
        Authorize(context, request.Name);
        var info = await grains.GetGrain<IModelGrain>(request.Name).GetInfo();
        var entry = await Find(request.Name, request.Version);
        var response = new ModelMetadataResponse { Name = request.Name, Platform = ModelMetadataJsonWriter.PlatformOf(entry) };
        response.Versions.AddRange(info.Versions.Select(v => v.Version));
        foreach (var spec in entry.Signature?.Inputs ?? []) response.Inputs.Add(Metadata(spec));
        foreach (var spec in entry.Signature?.Outputs ?? []) response.Outputs.Add(Metadata(spec));
        return response;
    });

    [Authorize(ApiKeyPolicies.Infer)]
    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) => GrpcErrors.Map(async () =>
    {
        if (!ModelNames.IsValid(request.ModelName)) throw new ModelNotFoundException($"Unknown model '{request.ModelName}'.");
        Authorize(context, request.ModelName);
        var version = string.IsNullOrEmpty(request.ModelVersion) ? null : request.ModelVersion;
        var http = context.GetHttpContext();
        // The trace id comes back in trailing metadata, on success and failure alike.
        if (RequestTrace.Traceparent(http) is { } traceparent) context.ResponseTrailers.Add("traceparent", traceparent);
        RequestTrace.Tag(http, request.ModelName, version);
        Cluster.Inference.InferenceRequest inference;
        using (InferenceTracing.Start("parse", request.ModelName, version))
        {
            var (timeout, routingKey, others) = GrpcParameters.ReadRequest(request.Parameters);
            for (var i = 0; i < request.Outputs.Count; i++) GrpcParameters.EnsureServed(request.Outputs[i].Parameters, "Output", request.Outputs[i].Name);
            inference = new Cluster.Inference.InferenceRequest(
                string.IsNullOrEmpty(request.Id) ? null : request.Id,
                GrpcTensors.Inputs(request),
                [.. request.Outputs.Select(o => o.Name)],
                timeout,
                routingKey,
                others,
                RequestTrace.TraceId(http));
        }
        var response = await routers.For(request.ModelName).Infer(inference, version, context.CancellationToken);
        using var write = InferenceTracing.Start("write", request.ModelName, response.ModelVersion);
        // gRPC writes the response after the handler returns, so an input that is also an output stays lent.
        TensorBuffers.ReturnInputs(inference.Inputs, response.Outputs);
        return GrpcTensors.Response(response);
    });

    /// <summary>A key limited to some models may not reach others (its policy checked the scope; the model is in the message).</summary>
    private static void Authorize(ServerCallContext context, string model)
    {
        if (context.GetHttpContext().Items[typeof(Cluster.Security.ApiKeyInfo)] is Cluster.Security.ApiKeyInfo key && !key.Covers(model))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"Key {key.Id} is not allowed to use model '{model}'."));
        }
    }

    private async Task<ModelVersionInfo> Find(string model, string version)
    {
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{model}'.");
        return info.Resolve(string.IsNullOrEmpty(version) ? null : version) ?? throw new ModelNotFoundException($"Model '{model}' has no version or label '{version}'.");
    }

    private static ModelMetadataResponse.Types.TensorMetadata Metadata(TensorSpec spec)
    {
        var metadata = new ModelMetadataResponse.Types.TensorMetadata { Name = spec.Name, Datatype = spec.DataType.ProtocolName() };
        metadata.Shape.AddRange(spec.Shape);
        return metadata;
    }
}
