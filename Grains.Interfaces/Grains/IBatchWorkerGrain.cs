using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Grains;

/// <summary>Forms batches of requests for one version and sends them to its replicas; key: <c>model/version</c>.</summary>
[Alias("Cluster.IBatchWorkerGrain")]
public interface IBatchWorkerGrain : IGrainWithStringKey
{
    /// <summary>Runs a validated request as part of a batch and returns its own outputs.</summary>
    [Alias("Infer")] Task<ImmutableArray<TensorData>> Infer(InferenceRequest request, int replicas);
}
