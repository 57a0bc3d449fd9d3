namespace Cluster.Models;

/// <summary>A traffic policy in a line of text, for audit records and logs.</summary>
internal static class TrafficText
{
    public static string Describe(TrafficPolicy? traffic)
    {
        if (traffic is null) return "all to the default version";
        var parts = new List<string> { "weights " + (traffic.Weights.Count == 0 ? "none" : string.Join(", ", traffic.Weights.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}"))) };
        if (!traffic.ShadowTargets.IsEmpty) parts.Add("shadows " + string.Join(", ", traffic.ShadowTargets.Select(s => $"{s.Version}@{s.Fraction}")));
        parts.Add(traffic.Sticky ? "sticky" : "not sticky");
        if (traffic.Bandit is { } bandit) parts.Add($"bandit γ={bandit.Exploration}");
        if (traffic.Rollout is { } rollout) parts.Add($"held by rollout {rollout}");
        return string.Join("; ", parts);
    }
}
