using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Routing;

/// <summary>
/// What a router needs to route a model's requests, worked out once per catalog refresh instead of
/// per request: the catalog copy, the arms of the split that serve now with their weights (or the
/// bandit's probabilities), and the shadows. Immutable, so a refresh swaps it whole.
/// </summary>
public sealed class RoutingTable
{
    private readonly ImmutableArray<(string Arm, double Weight)> _arms;
    private readonly double _totalWeight;
    private readonly bool _sticky;

    /// <summary>Builds the table from the catalog and, when the split is a bandit's, its last probabilities.</summary>
    public RoutingTable(ModelInfo info, ImmutableDictionary<string, double>? banditProbabilities)
    {
        Info = info;
        BanditProbabilities = banditProbabilities;
        var traffic = info.Traffic;
        _sticky = traffic?.Sticky == true;
        // Arms that do not serve now (unloaded, failed, deleted) take no traffic; their share goes to the rest.
        _arms = traffic is null ? [] : [.. traffic.Weights
            .Select(w => (Arm: info.Resolve(w.Key)?.Version, Weight: w.Value))
            .Where(a => a.Arm is not null && info.FindVersion(a.Arm)?.Status == VersionStatus.Ready && a.Weight > 0)
            .Select(a => (a.Arm!, banditProbabilities is null ? a.Weight : banditProbabilities.GetValueOrDefault(a.Arm!)))
            .Where(a => a.Item2 > 0)];
        _totalWeight = _arms.Sum(a => a.Weight);
        Shadows = traffic is null ? [] : [.. traffic.ShadowTargets
            .Select(s => (Entry: info.Resolve(s.Version), s.Fraction))
            .Where(s => s.Entry is { Status: VersionStatus.Ready, Signature: not null })
            .Select(s => (s.Entry!, s.Fraction))];
    }

    /// <summary>The catalog this table was built from.</summary>
    public ModelInfo Info { get; }

    /// <summary>The bandit's probabilities per arm at the refresh; null when the split is not a bandit's.</summary>
    public ImmutableDictionary<string, double>? BanditProbabilities { get; }

    /// <summary>Shadow versions that serve now, with the fraction of requests each gets a copy of.</summary>
    public ImmutableArray<(ModelVersionInfo Entry, double Fraction)> Shadows { get; }

    /// <summary>
    /// The arm for a request that names no version: null (the default version) without a split;
    /// with a bandit, also the drawn arm's probability (else 0). Sticky splits keep a routing key on its arm.
    /// </summary>
    public (string? Version, double Probability) Pick(string? routingKey, Random random)
    {
        if (_arms.IsEmpty) return (null, 0);
        if (BanditProbabilities is null) return (WeightedArmSelector.Pick(_arms, _sticky ? routingKey : null, random), 0);
        var arm = WeightedArmSelector.Pick(_arms, null, random);
        return (arm, _arms.First(a => a.Arm == arm).Weight / _totalWeight);
    }
}
