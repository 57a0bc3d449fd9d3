using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Cluster.Errors;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Google.Protobuf;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>
/// Converts v2 gRPC tensors to and from raw tensor bytes. An input's data comes one of two ways for
/// the whole request: <c>raw_input_contents</c> (one entry per input, in order, taken as is; BYTES
/// length-prefixed as <see cref="BytesTensor"/> lays them out), or each input's typed <c>contents</c>
/// (<see cref="GrpcTypedContents"/>). Outputs always go back raw, as Triton sends them.
/// </summary>
internal static class GrpcTensors
{
    public static ImmutableArray<TensorData> Inputs(ModelInferRequest request)
    {
        var raw = request.RawInputContents.Count > 0;
        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Invalid($"raw_input_contents has {request.RawInputContents.Count} entries for {request.Inputs.Count} inputs; give one per input or none.");
        }
        var inputs = ImmutableArray.CreateBuilder<TensorData>(request.Inputs.Count);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            if (string.IsNullOrEmpty(input.Name)) throw Invalid($"Input #{i} has no name.");
            // The protocol forbids both forms in one request: which one would be the input's data?
            if (raw && input.Contents is not null)
            {
                throw Invalid($"Input '{input.Name}' has typed contents, but the request sets raw_input_contents; send every input's data one way, not both.");
            }
            GrpcParameters.EnsureServed(input.Parameters, "Input", input.Name);
            if (!TensorDataTypes.TryParse(input.Datatype, out var type)) throw Invalid($"Input '{input.Name}' has unknown datatype '{input.Datatype}'.");
            if (input.Shape.Any(d => d < 0)) throw Invalid($"Input '{input.Name}': shape must hold non-negative integers.");
            long count;
            try
            {
                count = ShapeMath.ElementCount([.. input.Shape]);
            }
            catch (OverflowException)
            {
                throw Invalid($"Input '{input.Name}' has a shape too large to hold.");
            }
            var bytes = raw ? request.LentRawInput(i) ?? Owned(request.RawInputContents[i]) : GrpcTypedContents.Read(input, type);
            // BYTES elements vary in length: the validator walks their prefixes against the shape.
            if (type != TensorDataType.Bytes && bytes.LongLength != count * type.ElementSize())
            {
                throw Invalid($"Input '{input.Name}': {bytes.LongLength} bytes of data; shape [{string.Join(",", input.Shape)}] of {type.ProtocolName()} needs {count * type.ElementSize()}.");
            }
            inputs.Add(new TensorData(input.Name, type, [.. input.Shape], bytes));
        }
        var tensors = inputs.MoveToImmutable();
        if (raw) BoolInputs.EnsureZeroOrOne(tensors);
        return tensors;
    }

    public static ModelInferResponse Response(Cluster.Inference.InferenceResponse response)
    {
        var reply = new ModelInferResponse { ModelName = response.ModelName, ModelVersion = response.ModelVersion, Id = response.Id ?? "" };
        foreach (var output in response.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType.ProtocolName() };
            tensor.Shape.AddRange(output.Shape);
            reply.Outputs.Add(tensor);
            reply.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(output.Data));
        }
        return reply;
    }

    /// <summary>
    /// The bytes as an array the tensor may keep. The parser gives every bytes field an array of its
    /// own, exactly as long, and the request message ends with the call, so that array is taken as is
    /// (a 110 KB image tensor is not copied again); anything else is copied.
    /// </summary>
    private static byte[] Owned(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
