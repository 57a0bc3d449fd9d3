using Cluster.Models;

namespace Cluster.Grains;

/// <summary>
/// One model version's lifecycle: loading with warm-up, scaling, draining, eviction, unloading
/// and spreading its replicas over inference silos; key: <c>model/version</c>. Its turns do not
/// interleave, so a version changes one step at a time; every change is recorded in the model's
/// catalog (<see cref="IModelGrain"/>), which routers read.
/// </summary>
[Alias("Cluster.IModelVersionGrain")]
public interface IModelVersionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers (or re-registers) the version from an artifact that is already stored and loads
    /// its replicas; completes when they are ready or have failed, and returns the version's state.
    /// </summary>
    [Alias("Register")] Task<ModelVersionInfo> Register(VersionRegistration registration);

    /// <summary>
    /// Stores uploaded ONNX bytes as this version and loads it. A file ONNX Runtime cannot load is
    /// refused (<see cref="Errors.InvalidInferenceRequestException"/>, with its reason) and nothing is kept;
    /// a version that exists already is refused with <see cref="Errors.ConflictException"/>.
    /// </summary>
    [Alias("Upload")] Task<ModelVersionInfo> Upload([Immutable] byte[] onnx, ModelConfig? config, string? label);

    /// <summary>Loads an unloaded (or failed) version again; a ready or loading version is left as it is.</summary>
    [Alias("Load")] Task<ModelVersionInfo> Load();

    /// <summary>Loads a ready or failed version again with the model's current settings; others are left as they are.</summary>
    [Alias("Reload")] Task<ModelVersionInfo> Reload();

    /// <summary>Stops serving the version after letting routed requests drain, and frees its sessions.</summary>
    [Alias("Unload")] Task<ModelVersionInfo> Unload();

    /// <summary>
    /// Changes how many replicas of a ready version serve, without a reload: new replicas load
    /// before they take traffic, removed ones stop taking traffic and drain before their sessions
    /// go. 0 scales the version to zero (its next request waits for a cold start).
    /// </summary>
    [Alias("Scale")] Task<ModelVersionInfo> Scale(int replicas, string reason);

    /// <summary>
    /// Scales the version to zero to free memory for another load (its next request waits for a
    /// cold start). Answers false at once, without waiting, while the version is changing: the
    /// change may be a load queued behind the very load that asks for this eviction.
    /// </summary>
    [Alias("Evict"), AlwaysInterleave] Task<bool> Evict(string reason);

    /// <summary>The eviction itself, as a turn of its own: false when the version is not ready or serves no replica.</summary>
    [Alias("Release")] Task<bool> Release(string reason);

    /// <summary>Removes the version; refused while it is the default or a label points at it, unless <paramref name="force"/>.</summary>
    [Alias("Delete")] Task Delete(bool force);

    /// <summary>Moves replicas that crowd one silo while another inference silo has fewer (placement happens only at activation).</summary>
    [Alias("Rebalance")] Task Rebalance();

    /// <summary>The version as this grain knows it; null when the model has no such version.</summary>
    [Alias("GetStatus"), AlwaysInterleave] Task<ModelVersionInfo?> GetStatus();
}
