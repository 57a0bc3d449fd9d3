namespace Cluster.Memory;

/// <summary>
/// Which version a full silo unloads first: the one whose replicas here ran least recently.
/// Pinned versions never go, nor the version being loaded, nor versions an eviction already
/// failed on during this admission.
/// </summary>
public static class EvictionOrder
{
    public static (string Model, string Version)? Next(IEnumerable<MemoryEntry> entries, string loadingModel, string loadingVersion, IReadOnlySet<(string Model, string Version)> skipped) =>
        entries
            .GroupBy(e => (e.Model, e.Version))
            .Where(g => !(g.Key.Model == loadingModel && g.Key.Version == loadingVersion) && !skipped.Contains(g.Key) && !g.Any(e => e.Pinned))
            .OrderBy(g => g.Max(e => e.LastUsed))
            .ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Version, StringComparer.Ordinal)
            .Select(g => ((string, string)?)g.Key)
            .FirstOrDefault();
}
