using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>Inputs and outputs of a model version, read from its ONNX Runtime session.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.ModelSignature")]
public sealed record ModelSignature(ImmutableArray<TensorSpec> Inputs, ImmutableArray<TensorSpec> Outputs)
{
    /// <summary>The input with this name, or null.</summary>
    public TensorSpec? FindInput(string name) => Find(Inputs, name);

    /// <summary>The output with this name, or null.</summary>
    public TensorSpec? FindOutput(string name) => Find(Outputs, name);

    private static TensorSpec? Find(ImmutableArray<TensorSpec> specs, string name)
    {
        foreach (var spec in specs)
        {
            if (spec.Name == name) return spec;
        }
        return null;
    }
}
