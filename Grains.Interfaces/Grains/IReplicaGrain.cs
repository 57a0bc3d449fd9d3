using Cluster.Inference;
using Cluster.Models;

namespace Cluster.Grains;

/// <summary>One ONNX Runtime session of a model version; key: <c>model/version/index</c>.</summary>
[Alias("Cluster.IReplicaGrain")]
public interface IReplicaGrain : IGrainWithStringKey
{
    /// <summary>Loads the session if it is not loaded and reports its signature.</summary>
    [Alias("Load")] Task<ReplicaLoadResult> Load(VersionRegistration registration);

    /// <summary>Disposes the session and ends the activation; the next call activates the replica afresh, placed anew.</summary>
    [Alias("Unload")] Task Unload();

    /// <summary>Runs one batch; the replica runs one batch at a time.</summary>
    [Alias("Run")] Task<ReplicaBatchResult> Run(ReplicaBatch batch);
}
