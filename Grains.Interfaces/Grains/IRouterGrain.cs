using Cluster.Inference;

namespace Cluster.Grains;

/// <summary>Entry point of inference for one model: picks the version and validates the request; key: model name.</summary>
[Alias("Cluster.IRouterGrain")]
public interface IRouterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs a request on the named version (number or label), or on the default version when
    /// <paramref name="version"/> is null. Cancelling drops the request if it is still queued.
    /// </summary>
    [Alias("Infer")] Task<InferenceResponse> Infer(InferenceRequest request, string? version, CancellationToken cancellationToken = default);

    /// <summary>Batching settings and counters of the version's worker on this silo.</summary>
    [Alias("GetBatchingStats")] Task<BatchingStats> GetBatchingStats(string? version);
}
