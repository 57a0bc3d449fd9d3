using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>A model version as the catalog knows it.</summary>
/// <param name="Version">Version string (a positive integer).</param>
/// <param name="Status">Loading, ready or failed.</param>
/// <param name="Reason">Why it failed, when it did.</param>
/// <param name="Signature">Inputs and outputs read from the session; null until a replica loaded it.</param>
/// <param name="ExecutionProvider">ONNX Runtime execution provider in use, e.g. <c>CPUExecutionProvider</c>.</param>
/// <param name="Registration">Artifact and serving settings.</param>
/// <param name="ReplicaSilos">Silos the replicas loaded on, by replica index, as of the last load.</param>
/// <param name="Replicas">Replicas serving now; 0 for a ready version scaled to zero or evicted, whose next request waits for a cold start.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ModelVersionInfo")]
public sealed record ModelVersionInfo(
    string Version,
    VersionStatus Status,
    string? Reason,
    ModelSignature? Signature,
    string? ExecutionProvider,
    VersionRegistration Registration,
    ImmutableArray<SiloAddress> ReplicaSilos = default,
    int Replicas = 0);
