using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Tensors;

namespace Cluster.Silo.Inference;

/// <summary>
/// The binary forms (the REST extension's section, gRPC's <c>raw_input_contents</c>) carry a BOOL
/// element as one byte, 1 for true and 0 for false. Any other byte is no BOOL, and ONNX Runtime would
/// take it without complaint, so it is refused here; JSON and typed contents cannot make one.
/// </summary>
internal static class BoolInputs
{
    public static void EnsureZeroOrOne(ImmutableArray<TensorData> inputs)
    {
        foreach (var input in inputs)
        {
            if (input.DataType != TensorDataType.Bool) continue;
            var at = input.Data.AsSpan().IndexOfAnyExcept((byte)0, (byte)1);
            if (at >= 0)
            {
                throw new InvalidInferenceRequestException($"Input '{input.Name}': element {at} is the byte {input.Data[at]}; a BOOL element is 0 (false) or 1 (true).");
            }
        }
    }
}
