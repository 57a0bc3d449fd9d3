using Cluster.Inference;

namespace Cluster.Grains;

/// <summary>Entry point of inference for one model: picks the version and validates the request; key: model name.</summary>
[Alias("Cluster.IRouterGrain")]
public interface IRouterGrain : IGrainWithStringKey
{
    /// <summary>Runs a request on the named version, or on the default version when <paramref name="version"/> is null.</summary>
    [Alias("Infer")] Task<InferenceResponse> Infer(InferenceRequest request, string? version);
}
