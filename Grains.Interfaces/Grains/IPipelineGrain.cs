using Cluster.Inference;
using Cluster.Models;

namespace Cluster.Grains;

/// <summary>
/// Runs requests through one pipeline version's steps, each step through its model's router;
/// key: <c>pipeline/version</c>. Stateless: it keeps only the parsed definition and its statistics.
/// </summary>
[Alias("Cluster.IPipelineGrain")]
public interface IPipelineGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs an already validated request through <paramref name="version"/> (the catalog entry the
    /// router resolved). The request's timeout is a deadline for the whole pipeline: a step that
    /// cannot start before it fails with the step's name; cancelling cancels every running step.
    /// </summary>
    [Alias("Run")] Task<InferenceResponse> Run(InferenceRequest request, ModelVersionInfo version, CancellationToken cancellationToken = default);
}
