using Cluster.Models;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Uploads a pipeline definition (the text of a <c>pipeline.json</c>, docs/API.md "Pipelines") as a new
    /// version; it is validated against the models its steps call before this returns. A definition
    /// that does not validate throws <see cref="Errors.InvalidInferenceRequestException"/> with the reason, and nothing is registered.
    /// </summary>
    public Task<ModelVersionInfo> UploadPipelineAsync(string pipeline, string version, string definitionJson, string? label = null, ModelConfig? config = null) =>
        UploadVersionAsync(pipeline, version, System.Text.Encoding.UTF8.GetBytes(definitionJson), label, config);
}
