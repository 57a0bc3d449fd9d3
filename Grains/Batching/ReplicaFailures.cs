using Orleans.Runtime.Messaging;

namespace Cluster.Batching;

/// <summary>Which failures of a replica call mean the replica's silo is gone, and where to retry.</summary>
internal static class ReplicaFailures
{
    /// <summary>True for failures of the call itself (silo dead or unreachable), not of the model.</summary>
    public static bool IsLostReplica(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException;

    /// <summary>Another replica when the version has several, else the same one (it re-activates elsewhere).</summary>
    public static int RetryTarget(int failed, int replicas) => replicas > 1 ? (failed + 1) % replicas : failed;
}
