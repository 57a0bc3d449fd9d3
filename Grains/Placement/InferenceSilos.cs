using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Cluster.Placement;

/// <summary>The active silos that host replicas, from membership and silo metadata.</summary>
public sealed class InferenceSilos(IClusterMembershipService membership, ISiloMetadataCache metadata)
{
    /// <summary>Active inference silos now.</summary>
    public IReadOnlyCollection<SiloAddress> Active() => membership.CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active)
        .Select(m => m.SiloAddress)
        .Where(s => metadata.GetSiloMetadata(s).Metadata.TryGetValue(SiloAccelerators.InferenceKey, out var value) && value == "true")
        .ToArray();

    /// <summary>Where replicas should go: the silos with CUDA devices when any is active (as the placement director prefers), else every inference silo.</summary>
    public IReadOnlyCollection<SiloAddress> Preferred()
    {
        var accelerated = WithAccelerators();
        return accelerated.Count > 0 ? accelerated : Active();
    }

    /// <summary>Active inference silos that advertise at least one CUDA device.</summary>
    public IReadOnlyCollection<SiloAddress> WithAccelerators() =>
        Active().Where(s => SiloAccelerators.Read(metadata.GetSiloMetadata(s).Metadata) > 0).ToArray();
}
