using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>Rules over a model's state that need no grain: the default version, effective config, what serves traffic.</summary>
internal static class ModelCatalog
{
    /// <summary>
    /// With a <paramref name="label"/> to follow, the version it points at (null while it points at
    /// none, so a new version never takes default traffic by being highest). Otherwise the highest ready
    /// version; the highest loading one while none is ready, so callers get "loading" rather than "unknown".
    /// </summary>
    public static string? DefaultVersion(IReadOnlyList<ModelVersionInfo> versionsLowestFirst, string? label = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (label is not null)
        {
            return labels is not null && labels.TryGetValue(label, out var pointed) && versionsLowestFirst.Any(v => v.Version == pointed) ? pointed : null;
        }
        var ready = versionsLowestFirst.LastOrDefault(v => v.Status == VersionStatus.Ready);
        return (ready ?? versionsLowestFirst.LastOrDefault(v => v.Status != VersionStatus.Unloaded) ?? versionsLowestFirst.LastOrDefault())?.Version;
    }

    /// <summary>
    /// The label unversioned requests follow (config <c>default_version</c>), or null for the highest
    /// version: the model-wide config's when one was set; else the label any version's own config names,
    /// so a version uploaded without settings beside a staged repository model does not take the traffic.
    /// </summary>
    public static string? DefaultLabel(ModelState state) =>
        state.Config is { } config
            ? config.DefaultVersion
            : state.Versions.Values.OrderByDescending(v => v.Version, ModelVersions.Comparer).Select(v => v.Registration.Config.DefaultVersion).FirstOrDefault(l => l is not null);

    /// <summary>The state as callers see it: versions in order, the model-wide config applied to each.</summary>
    public static ModelInfo Describe(string name, ModelState state)
    {
        var versions = state.Versions.Values
            .OrderBy(v => v.Version, ModelVersions.Comparer)
            .Select(v => state.Config is null ? v : v with { Registration = v.Registration with { Config = state.Config } })
            .ToImmutableArray();
        var label = DefaultLabel(state);
        return new ModelInfo(name, state.Revision, DefaultVersion(versions, label, state.Labels), versions, state.Labels.ToImmutableDictionary(StringComparer.Ordinal), state.Traffic, label);
    }

    /// <summary>
    /// The entry while <paramref name="registration"/> loads: a ready version that keeps its artifact
    /// stays ready, served by the sessions it has (as when a restarted silo registers its repository
    /// again, or settings change); anything else is loading until its replicas report.
    /// </summary>
    public static ModelVersionInfo Reloading(ModelVersionInfo? current, VersionRegistration registration) =>
        current is { Status: VersionStatus.Ready } && current.Registration.Sha256 == registration.Sha256
            ? current with { Registration = registration }
            : new ModelVersionInfo(registration.Version, VersionStatus.Loading, null, null, null, registration);

    /// <summary>Why deleting <paramref name="version"/> would cut traffic, or null when nothing routes to it.</summary>
    public static string? TrafficHolding(ModelInfo info, string version)
    {
        var labels = info.Labels?.Where(l => l.Value == version).Select(l => l.Key).ToArray() ?? [];
        if (labels.Length > 0) return $"labels {string.Join(", ", labels.Select(l => $"'{l}'"))} point at it";
        if (info.Traffic?.Weights.Any(w => w.Value > 0 && info.Resolve(w.Key)?.Version == version) == true) return "it has traffic weight";
        if (info.DefaultVersion == version && info.FindVersion(version)?.Status == VersionStatus.Ready) return "it is the default version";
        return null;
    }
}
