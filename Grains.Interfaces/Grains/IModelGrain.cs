using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Grains;

/// <summary>A model's catalog of versions, labels and settings; key: model name.</summary>
[Alias("Cluster.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers (or re-registers) a version whose artifact is already stored and loads its
    /// replicas; completes when they are ready or have failed, and returns the version's state.
    /// </summary>
    [Alias("RegisterVersion")] Task<ModelVersionInfo> RegisterVersion(VersionRegistration registration);

    /// <summary>
    /// Stores uploaded ONNX bytes as a version and loads it. A file ONNX Runtime cannot load is
    /// refused (<see cref="Errors.InvalidInferenceRequestException"/>, with its reason) and nothing is kept.
    /// </summary>
    [Alias("UploadVersion")] Task<ModelVersionInfo> UploadVersion(string version, [Immutable] byte[] onnx, ModelConfig? config, string? label);

    /// <summary>Loads an unloaded (or failed) version again.</summary>
    [Alias("LoadVersion")] Task<ModelVersionInfo> LoadVersion(string version);

    /// <summary>Stops serving a version after letting routed requests drain, and frees its sessions.</summary>
    [Alias("UnloadVersion")] Task<ModelVersionInfo> UnloadVersion(string version);

    /// <summary>
    /// Changes how many replicas of a ready version serve, without a reload: new replicas load
    /// before they take traffic, removed ones stop taking traffic and drain before their sessions
    /// go. 0 scales the version to zero (its next request waits for a cold start).
    /// </summary>
    [Alias("Scale")] Task<ModelVersionInfo> Scale(string version, int replicas, string reason);

    /// <summary>
    /// Scales a version to zero to free memory for another load (its next request waits for a cold
    /// start); false, without waiting, when the version is not ready or is changing its replicas now.
    /// </summary>
    [Alias("Evict")] Task<bool> Evict(string version, string reason);

    /// <summary>Removes a version; refused while it is the default or a label points at it, unless <paramref name="force"/>.</summary>
    [Alias("DeleteVersion")] Task DeleteVersion(string version, bool force);

    /// <summary>Points a label at a version (creating or moving it); traffic that uses the label follows within a second.</summary>
    [Alias("SetLabel")] Task<ModelInfo> SetLabel(string label, string version);

    /// <summary>Replaces the serving settings of every version (batching, replicas, device, ...) and reloads loaded versions.</summary>
    [Alias("SetConfig")] Task<ModelInfo> SetConfig(ModelConfig config);

    /// <summary>
    /// Sets the A/B split of requests that name no version, and the shadows; every key must be a
    /// version or label of this model. Refused (<see cref="Errors.ConflictException"/>) while a rollout holds the traffic.
    /// </summary>
    [Alias("SetTraffic")] Task<ModelInfo> SetTraffic(TrafficPolicy traffic);

    /// <summary>
    /// Sets the weights on behalf of a rollout, keeping the policy's other settings; while not
    /// <paramref name="release"/>d, the rollout holds the traffic and operators cannot change it.
    /// </summary>
    [Alias("ApplyRollout")] Task<ModelInfo> ApplyRollout(string rolloutId, ImmutableDictionary<string, double> weights, bool release);

    /// <summary>The catalog; a model that was never registered has no versions.</summary>
    [Alias("GetInfo"), ReadOnly] Task<ModelInfo> GetInfo();
}
