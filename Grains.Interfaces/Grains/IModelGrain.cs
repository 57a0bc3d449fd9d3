using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Grains;

/// <summary>
/// A model's catalog of versions, labels, settings and traffic; key: model name. It records what
/// the version grains (<see cref="IModelVersionGrain"/>) report and never waits on them, so its
/// turns are short and routers' reads are answered while versions load.
/// </summary>
[Alias("Cluster.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records that a version is (re)loading, with the model-wide settings applied, its config's
    /// labels added and the model listed in the registry, and returns the entry as recorded: loading,
    /// or still ready when it serves the same artifact already. Called by the version's grain.
    /// </summary>
    [Alias("BeginVersion")] Task<ModelVersionInfo> BeginVersion(VersionRegistration registration);

    /// <summary>Records a version's state as its grain reports it.</summary>
    [Alias("RecordVersion")] Task RecordVersion(ModelVersionInfo version);

    /// <summary>
    /// Takes a version out of the catalog (and its labels; the model out of the registry when it
    /// was the last) and returns what the catalog held; refused while it serves traffic unless
    /// <paramref name="force"/>. Called by the version's grain, which then frees its replicas.
    /// </summary>
    [Alias("RemoveVersion")] Task<ModelVersionInfo> RemoveVersion(string version, bool force);

    /// <summary>Points a label at a version (creating or moving it); traffic that uses the label follows within a second.</summary>
    [Alias("SetLabel")] Task<ModelInfo> SetLabel(string label, string version);

    /// <summary>
    /// Replaces the serving settings of every version (batching, replicas, device, ...). Loaded
    /// versions take them when they reload (<see cref="ModelConfigChange.SetConfigAndReload"/> does both).
    /// </summary>
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
