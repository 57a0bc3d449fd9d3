using Cluster.Models;

namespace Cluster.Repository;

/// <summary>One model version found in the repository folder.</summary>
public sealed record ModelRepositoryEntry(string Model, string Version, string ArtifactPath, ModelConfig Config);
