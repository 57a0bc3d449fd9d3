using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Inference;

/// <summary>Outputs of a batch, still concatenated along dimension 0 in the batch's row order.</summary>
/// <param name="Outputs">One tensor per computed output.</param>
/// <param name="ComputeTime">Time the session spent running the batch.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ReplicaBatchResult")]
public sealed record ReplicaBatchResult(ImmutableArray<TensorData> Outputs, TimeSpan ComputeTime);
