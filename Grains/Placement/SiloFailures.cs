using Orleans.Runtime.Messaging;

namespace Cluster.Placement;

/// <summary>Which failures of a grain call mean the callee's silo is gone or unreachable, rather than that the call itself failed.</summary>
internal static class SiloFailures
{
    public static bool IsSiloLost(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException;
}
