using Cluster.Models;

namespace Cluster.Repository;

/// <summary>One model version found in the repository folder.</summary>
/// <param name="ConfigProblem">Why the model's config.json cannot be used (the version is then not served), or null.</param>
/// <param name="Kind">An ONNX model (<c>model.onnx</c>) or a pipeline (<c>pipeline.json</c>).</param>
public sealed record ModelRepositoryEntry(string Model, string Version, string ArtifactPath, ModelConfig Config, string? ConfigProblem = null, VersionKind Kind = VersionKind.Model);
