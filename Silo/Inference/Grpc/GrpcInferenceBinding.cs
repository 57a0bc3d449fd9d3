using Cluster.Protocol.V2;
using Grpc.Core;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>
/// Binds <see cref="GrpcInferenceEndpoint"/> as the generated code would, except that <c>ModelInfer</c>'s requests are
/// parsed with their large raw tensors in lent arrays (<see cref="ModelInferRequest.ParseLendingRawContents"/>). gRPC
/// finds this through the endpoint's <see cref="BindServiceMethodAttribute"/>, which overrides the generated base's.
/// </summary>
internal static class GrpcInferenceBinding
{
    /// <summary>The service's descriptor, where gRPC looks for it beside the bind method.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => GRPCInferenceService.Descriptor;

    // The generated base as the parameter: gRPC looks up each handler as an override of a method of this type.
    public static void BindService(ServiceBinderBase binder, GRPCInferenceService.GRPCInferenceServiceBase service) =>
        GRPCInferenceService.BindService(new LendingBinder(binder), service);

    private sealed class LendingBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            if (method is Method<ModelInferRequest, TResponse> infer)
            {
                var lending = new Marshaller<ModelInferRequest>(infer.RequestMarshaller.ContextualSerializer,
                    context => ModelInferRequest.ParseLendingRawContents(context.PayloadAsReadOnlySequence()));
                method = (Method<TRequest, TResponse>)(object)new Method<ModelInferRequest, TResponse>(infer.Type, infer.ServiceName, infer.Name, lending, infer.ResponseMarshaller);
            }
            inner.AddMethod(method, handler);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) => inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) => inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) => inner.AddMethod(method, handler);
    }
}
