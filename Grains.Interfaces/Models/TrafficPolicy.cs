using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>How requests that name no version are split across versions (A/B, canary), and which versions see copies.</summary>
/// <param name="Weights">Relative weight per version number or label; versions not listed get no traffic.</param>
/// <param name="Sticky">Keep a routing key on the same version while the weights stay the same.</param>
/// <param name="Shadows">Versions that get a sampled copy of split requests; their answers are compared, never returned.</param>
/// <param name="Rollout">Id of the rollout that set these weights; operators cannot change them while it is active.</param>
/// <param name="Bandit">When set, an Exp3 bandit learns from feedback how to split traffic over the weighted versions (the weights then only name the arms).</param>
[GenerateSerializer, Immutable, Alias("Cluster.TrafficPolicy")]
public sealed record TrafficPolicy(
    ImmutableDictionary<string, double> Weights,
    bool Sticky,
    ImmutableArray<ShadowTarget> Shadows = default,
    string? Rollout = null,
    Bandits.BanditSettings? Bandit = null)
{
    /// <summary>The shadows, never default.</summary>
    public ImmutableArray<ShadowTarget> ShadowTargets => Shadows.IsDefault ? [] : Shadows;

    /// <summary>True when the policy changes nothing: no weights and no shadows.</summary>
    public bool IsEmpty => Weights.Count == 0 && ShadowTargets.IsEmpty;
}
