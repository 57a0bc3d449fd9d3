namespace Cluster.Models;

/// <summary>What registering a model version needs: where its artifact is and how to serve it.</summary>
/// <param name="Version">Positive integer version, as a string (the v2 protocol's version is a string).</param>
/// <param name="ArtifactPath">Path of the ONNX file readable by inference silos.</param>
/// <param name="Sha256">Hex SHA-256 of the artifact, recorded so a changed file is noticed.</param>
/// <param name="Config">Serving settings.</param>
/// <param name="ConfigProblem">Why the settings file could not be read: the version is registered but not served, with this as its reason.</param>
/// <param name="Kind">Whether the artifact is an ONNX model or a pipeline definition.</param>
[GenerateSerializer, Immutable, Alias("Cluster.VersionRegistration")]
public sealed record VersionRegistration(string Version, string ArtifactPath, string Sha256, ModelConfig Config, string? ConfigProblem = null, VersionKind Kind = VersionKind.Model);
