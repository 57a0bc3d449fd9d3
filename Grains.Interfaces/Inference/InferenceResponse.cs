using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Inference;

/// <summary>Result of an inference call.</summary>
/// <param name="ModelName">Model that served the request.</param>
/// <param name="ModelVersion">Version that served it.</param>
/// <param name="Id">The request id, when the request had one.</param>
/// <param name="Outputs">Output tensors, in the model's output order.</param>
[GenerateSerializer, Immutable, Alias("Cluster.InferenceResponse")]
public sealed record InferenceResponse(string ModelName, string ModelVersion, string? Id, ImmutableArray<TensorData> Outputs)
{
    /// <summary>The output with this name; throws when the response has none.</summary>
    public TensorData Output(string name)
    {
        foreach (var output in Outputs)
        {
            if (output.Name == name) return output;
        }
        throw new KeyNotFoundException($"The response has no output '{name}'.");
    }
}
