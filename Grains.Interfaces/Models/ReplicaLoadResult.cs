namespace Cluster.Models;

/// <summary>What a replica learned by loading its session.</summary>
/// <param name="Signature">Inputs and outputs of the session.</param>
/// <param name="ExecutionProvider">Execution provider the session runs on.</param>
/// <param name="Silo">The silo the replica runs on.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ReplicaLoadResult")]
public sealed record ReplicaLoadResult(ModelSignature Signature, string ExecutionProvider, SiloAddress Silo);
