using Cluster.Grains;
using Cluster.Models;
using Cluster.Repository;

namespace Cluster.Silo.Gateway;

/// <summary>Whether the gateway serves: the answer of REST's <c>/v2/health/ready</c> and gRPC's <c>ServerReady</c>.</summary>
internal static class Readiness
{
    /// <summary>Ready once start-up registration finished and no version is still loading.</summary>
    public static async Task<bool> IsReady(IGrainFactory grains, RepositoryLoadState? loadState)
    {
        if (loadState is { InitialScanDone: false }) return false;
        var models = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List();
        var infos = await Task.WhenAll(models.Select(m => grains.GetGrain<IModelGrain>(m).GetInfo()));
        return infos.All(info => info.Versions.All(v => v.Status != VersionStatus.Loading));
    }
}
