using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Grains;

/// <summary>
/// Queues requests of one version on one silo, joins compatible ones into batches and sends each
/// batch to the least-loaded replica; key: <c>model/version</c>.
/// </summary>
[Alias("Cluster.IBatchWorkerGrain")]
public interface IBatchWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs a validated request as part of a batch and returns its own outputs, with its queue and compute time; cancelling drops it
    /// if not yet computed. <paramref name="replicas"/> is the version's serving replica count as the
    /// caller's catalog copy has it; with 0 the request waits for a cold start.
    /// </summary>
    [Alias("Infer")] Task<BatchedOutputs> Infer(InferenceRequest request, ModelConfig config, int replicas, CancellationToken cancellationToken);

    /// <summary>The worker's current batching settings and counters.</summary>
    [Alias("GetStats"), AlwaysInterleave] Task<BatchingStats> GetStats();
}
