using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Cluster.Errors;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Google.Protobuf;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>
/// Converts v2 gRPC tensors to and from raw tensor bytes: <c>raw_input_contents</c> is taken as is
/// (one entry per input, in order); typed <c>contents</c> are written into the datatype's
/// little-endian layout, narrowing integers with range checks. BYTES come raw in the
/// length-prefixed layout (<see cref="BytesTensor"/>) or as <c>bytes_contents</c>, one entry per
/// element. Outputs always go back raw, as Triton sends them.
/// </summary>
internal static class GrpcTensors
{
    public static ImmutableArray<TensorData> Inputs(ModelInferRequest request)
    {
        if (request.RawInputContents.Count > 0 && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Invalid($"raw_input_contents has {request.RawInputContents.Count} entries for {request.Inputs.Count} inputs; give one per input or none.");
        }
        var inputs = ImmutableArray.CreateBuilder<TensorData>(request.Inputs.Count);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            if (string.IsNullOrEmpty(input.Name)) throw Invalid($"Input #{i} has no name.");
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
            var bytes = request.RawInputContents.Count > 0 ? Owned(request.RawInputContents[i]) : Typed(input, type, count);
            // BYTES elements vary in length: the validator walks their prefixes against the shape.
            if (type != TensorDataType.Bytes && bytes.LongLength != count * type.ElementSize())
            {
                throw Invalid($"Input '{input.Name}': {bytes.LongLength} bytes of data; shape [{string.Join(",", input.Shape)}] of {type.ProtocolName()} needs {count * type.ElementSize()}.");
            }
            inputs.Add(new TensorData(input.Name, type, [.. input.Shape], bytes));
        }
        return inputs.MoveToImmutable();
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

    private static byte[] Typed(ModelInferRequest.Types.InferInputTensor input, TensorDataType type, long count)
    {
        var contents = input.Contents ?? throw Invalid($"Input '{input.Name}' has neither contents nor raw_input_contents.");
        return type switch
        {
            TensorDataType.FP32 => Bytes<float>([.. contents.Fp32Contents]),
            TensorDataType.FP64 => Bytes<double>([.. contents.Fp64Contents]),
            TensorDataType.Int64 => Bytes<long>([.. contents.Int64Contents]),
            TensorDataType.UInt64 => Bytes<ulong>([.. contents.Uint64Contents]),
            TensorDataType.Int32 => Bytes<int>([.. contents.IntContents]),
            TensorDataType.Int16 => Bytes(Narrow(contents.IntContents, input.Name, v => checked((short)v))),
            TensorDataType.Int8 => Bytes(Narrow(contents.IntContents, input.Name, v => checked((sbyte)v))),
            TensorDataType.UInt32 => Bytes<uint>([.. contents.UintContents]),
            TensorDataType.UInt16 => Bytes(Narrow(contents.UintContents, input.Name, v => checked((ushort)v))),
            TensorDataType.UInt8 => Bytes(Narrow(contents.UintContents, input.Name, v => checked((byte)v))),
            TensorDataType.Bool => [.. contents.BoolContents.Select(b => b ? (byte)1 : (byte)0)],
            TensorDataType.Bytes => LengthPrefixed(contents.BytesContents),
            _ => throw Invalid($"Input '{input.Name}': {type.ProtocolName()} must be sent in raw_input_contents."),
        };
    }

    private static T[] Narrow<TFrom, T>(IEnumerable<TFrom> values, string name, Func<TFrom, T> narrow)
    {
        try
        {
            return [.. values.Select(narrow)];
        }
        catch (OverflowException)
        {
            throw Invalid($"Input '{name}' holds a value outside its datatype's range.");
        }
    }

    private static byte[] LengthPrefixed(IReadOnlyList<ByteString> elements)
    {
        long size = 0;
        foreach (var element in elements) size += BytesTensor.PrefixSize + element.Length;
        var data = new byte[size];
        var offset = 0;
        foreach (var element in elements) offset += BytesTensor.Write(data.AsSpan(offset), element.Span);
        return data;
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

    private static byte[] Bytes<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
