using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Cluster.Placement;

/// <summary>
/// Chooses the silo of a new replica activation among the silos that host replicas (inference
/// silos): silos with accelerators first when any exists, then replica i of a version goes to
/// the (i + offset)-th silo in address order, so a version's replicas land on distinct silos
/// while there are enough, and different versions start on different silos. When a silo dies,
/// its replicas re-activate on the survivors by the same rule.
/// </summary>
public sealed class ReplicaPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint) return Task.FromResult(hint);
        if (compatible.Length == 0) throw new OrleansException($"No inference silo is active to host replica {target.GrainIdentity}.");
        var accelerated = compatible.Where(s => SiloAccelerators.Read(metadata.GetSiloMetadata(s).Metadata) > 0).ToArray();
        var pool = (accelerated.Length > 0 ? accelerated : compatible).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        var (model, version, index) = GrainKeys.Parse(target.GrainIdentity.Key.ToString()!);
        var offset = (int)(StableHash(GrainKeys.Version(model, version)) % (uint)pool.Length);
        return Task.FromResult(pool[(index + offset) % pool.Length]);
    }

    // FNV-1a: the same on every silo and every run, unlike string.GetHashCode.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
