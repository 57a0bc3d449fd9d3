using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>A model's catalog: its versions and which one serves by default.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Revision">Bumped on every change, so cached copies know when they are stale.</param>
/// <param name="DefaultVersion">Version used when a request names none: the highest ready version, or the version <paramref name="DefaultLabel"/> points at; null when there is none.</param>
/// <param name="Versions">All registered versions, lowest first.</param>
/// <param name="Labels">Labels (e.g. <c>stable</c>, <c>canary</c>) and the versions they point at; usable wherever a version is.</param>
/// <param name="Traffic">The A/B split of requests that name no version; null sends them all to the default version.</param>
/// <param name="DefaultLabel">The label the default version follows (config <c>default_version</c>); null when it is the highest ready version.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ModelInfo")]
public sealed record ModelInfo(
    string Name,
    long Revision,
    string? DefaultVersion,
    ImmutableArray<ModelVersionInfo> Versions,
    ImmutableDictionary<string, string>? Labels = null,
    TrafficPolicy? Traffic = null,
    string? DefaultLabel = null)
{
    /// <summary>True when the model has at least one version.</summary>
    public bool Exists => !Versions.IsDefaultOrEmpty;

    /// <summary>
    /// The version a request means: the default when <paramref name="version"/> is null, else the
    /// version of that number, else the version a label of that name points at; null when none.
    /// </summary>
    public ModelVersionInfo? Resolve(string? version)
    {
        if (version is null) return DefaultVersion is null ? null : FindVersion(DefaultVersion);
        if (FindVersion(version) is { } exact) return exact;
        return Labels is not null && Labels.TryGetValue(version, out var labelled) ? FindVersion(labelled) : null;
    }

    /// <summary>
    /// The versions requests that name no version go to, with their weights (labels resolved,
    /// weights of one version summed), heaviest first; without a split, the default version with 100.
    /// </summary>
    public ImmutableArray<(string Version, double Weight)> Arms()
    {
        if (Traffic is not { Weights.Count: > 0 } traffic) return DefaultVersion is { } version ? [(version, 100)] : [];
        return [.. traffic.Weights
            .Select(w => (Version: Resolve(w.Key)?.Version, Weight: w.Value))
            .Where(w => w.Version is not null)
            .GroupBy(w => w.Version!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(w => w.Weight)))
            .OrderByDescending(w => w.Item2)];
    }

    /// <summary>The version with this name, or null.</summary>
    public ModelVersionInfo? FindVersion(string version)
    {
        foreach (var info in Versions)
        {
            if (info.Version == version) return info;
        }
        return null;
    }
}
