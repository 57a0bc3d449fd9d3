using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Repository;

namespace Cluster.Silo.Gateway;

/// <summary>The model, and version, a request names in its path, with the API's 404s when they do not exist.</summary>
internal static class ModelLookup
{
    /// <summary>The model's grain; a name no model can have is unknown.</summary>
    public static IModelGrain Grain(IGrainFactory grains, string model) =>
        ModelNames.IsValid(model) ? grains.GetGrain<IModelGrain>(model) : throw new ModelNotFoundException($"Unknown model '{model}'.");

    /// <summary>The grain of one version's lifecycle; a name no model or version can have is unknown.</summary>
    public static IModelVersionGrain Version(IGrainFactory grains, string model, string version) =>
        ModelNames.IsValid(model) && !version.Contains('/')
            ? grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version))
            : throw new ModelNotFoundException($"Model '{model}' has no version {version}.");

    /// <summary>The model's catalog, when the model exists.</summary>
    public static async Task<ModelInfo> Existing(IGrainFactory grains, string model)
    {
        var info = await Grain(grains, model).GetInfo();
        return info.Exists ? info : throw new ModelNotFoundException($"Unknown model '{model}'.");
    }

    /// <summary>The model's catalog and the version that <paramref name="version"/> (a number, a label, or null: the default) resolves to.</summary>
    public static async Task<(ModelInfo Info, ModelVersionInfo Version)> Find(IGrainFactory grains, string model, string? version)
    {
        var info = await Existing(grains, model);
        var resolved = info.Resolve(version);
        return (info, resolved ?? throw new ModelNotFoundException($"Model '{model}' has no version or label '{version}'."));
    }
}
