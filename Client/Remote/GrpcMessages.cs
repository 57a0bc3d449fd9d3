using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Google.Protobuf;

namespace Cluster.Client.Remote;

/// <summary>
/// Inference requests and responses as v2 gRPC messages. Tensors travel as raw contents, which are
/// <see cref="TensorData.Data"/> byte for byte (BYTES elements length-prefixed), so nothing is converted.
/// </summary>
internal static class GrpcMessages
{
    public static ModelInferRequest Request(string model, string? version, InferenceRequest request)
    {
        var message = new ModelInferRequest { ModelName = model, ModelVersion = version ?? "", Id = request.Id ?? "" };
        foreach (var input in request.Inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.DataType.ProtocolName() };
            tensor.Shape.AddRange(input.Shape);
            message.Inputs.Add(tensor);
            message.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(input.Data));
        }
        foreach (var output in request.RequestedOutputs) message.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = output });
        if (request.Timeout is { } timeout) message.Parameters["timeout"] = new InferParameter { Int64Param = (long)timeout.TotalMicroseconds };
        if (request.RoutingKey is { } key) message.Parameters["routing_key"] = new InferParameter { StringParam = key };
        return message;
    }

    public static InferenceResponse Response(ModelInferResponse response)
    {
        if (response.RawOutputContents.Count != response.Outputs.Count)
        {
            throw new InferenceFailedException($"The gateway sent {response.Outputs.Count} outputs with {response.RawOutputContents.Count} raw contents; expected one each.");
        }
        var outputs = ImmutableArray.CreateBuilder<TensorData>(response.Outputs.Count);
        for (var i = 0; i < response.Outputs.Count; i++)
        {
            var output = response.Outputs[i];
            if (!TensorDataTypes.TryParse(output.Datatype, out var type)) throw new InferenceFailedException($"Output '{output.Name}' has an unknown datatype '{output.Datatype}'.");
            outputs.Add(new TensorData(output.Name, type, [.. output.Shape], response.RawOutputContents[i].ToByteArray()));
        }
        return new InferenceResponse(response.ModelName, response.ModelVersion, string.IsNullOrEmpty(response.Id) ? null : response.Id, outputs.MoveToImmutable());
    }
}
