using Cluster.Models;

namespace Cluster.Grains;

/// <summary>
/// A model-wide settings change as callers want it: recorded, then taken up by every loaded
/// version. The model grain cannot reload its versions itself: their grains report to it while
/// they load, and it never waits on them.
/// </summary>
public static class ModelConfigChange
{
    /// <summary>Sets <paramref name="config"/> for every version of <paramref name="model"/>, reloads the ready and failed ones, and returns the catalog after.</summary>
    public static async Task<ModelInfo> SetConfigAndReload(this IGrainFactory grains, string model, ModelConfig config)
    {
        var catalog = grains.GetGrain<IModelGrain>(model);
        var info = await catalog.SetConfig(config);
        await Task.WhenAll(info.Versions
            .Where(v => v.Status is VersionStatus.Ready or VersionStatus.Failed)
            .Select(v => grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, v.Version)).Reload()));
        return await catalog.GetInfo();
    }
}
