using Cluster.Models;

namespace Cluster.Grains;

/// <summary>A model's catalog of versions; key: model name.</summary>
[Alias("Cluster.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers (or re-registers) a version and loads its replicas; completes when they are
    /// ready or have failed, and returns the version's resulting state.
    /// </summary>
    [Alias("RegisterVersion")] Task<ModelVersionInfo> RegisterVersion(VersionRegistration registration);

    /// <summary>The catalog; a model that was never registered has no versions.</summary>
    [Alias("GetInfo"), ReadOnly] Task<ModelInfo> GetInfo();
}
