using System.Collections.Immutable;
using Cluster.Models;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Onnx;

/// <summary>Reads a model's signature from its session metadata, never from hand-written config.</summary>
internal static class OnnxSignatureReader
{
    public static ModelSignature Read(InferenceSession session) => new(
        Specs(session.InputNames, session.InputMetadata, "input"),
        Specs(session.OutputNames, session.OutputMetadata, "output"));

    private static ImmutableArray<TensorSpec> Specs(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata, string kind)
    {
        var builder = ImmutableArray.CreateBuilder<TensorSpec>(names.Count);
        foreach (var name in names)
        {
            var node = metadata[name];
            if (!node.IsTensor) throw new NotSupportedException($"The model's {kind} '{name}' is a {node.OnnxValueType}; only tensors are served.");
            var dataType = OnnxTypes.ToDataType(node.ElementDataType)
                ?? throw new NotSupportedException($"The model's {kind} '{name}' has element type {node.ElementDataType}, which is not served.");
            builder.Add(new TensorSpec(name, dataType, [.. node.Dimensions.Select(d => d < 0 ? -1L : d)]));
        }
        return builder.MoveToImmutable();
    }
}
