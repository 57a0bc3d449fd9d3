using System.Collections.Immutable;
using Cluster.Bandits;

namespace Cluster.Grains;

/// <summary>A model's Exp3 bandit: learns from rewards which arm of the split deserves traffic; key: model name.</summary>
[Alias("Cluster.IBanditGrain")]
public interface IBanditGrain : IGrainWithStringKey
{
    /// <summary>Probability per version of the arms <paramref name="arms"/> (the split's versions), to draw from.</summary>
    [Alias("GetProbabilities")] Task<ImmutableDictionary<string, double>> GetProbabilities(ImmutableArray<string> arms, BanditSettings settings);

    /// <summary>Which arm served which request, sent by routers about every second.</summary>
    [Alias("Assign")] Task Assign(ImmutableArray<BanditAssignment> assignments);

    /// <summary>A caller's reward in [0, 1] for one request; true when the request is known (or arrives within seconds), false when it is not.</summary>
    [Alias("Feedback")] Task<bool> Feedback(string requestId, double reward);

    /// <summary>
    /// Rewards derived from ground truth, for the requests the bandit routed; ids it never assigned (requests that named a version,
    /// or served before the bandit) are skipped without waiting or counting as unmatched. Answers how many were applied.
    /// </summary>
    [Alias("Rewards")] Task<int> Rewards(ImmutableArray<BanditReward> rewards);

    /// <summary>Arms, probabilities and rewards.</summary>
    [Alias("GetStatus"), ReadOnly] Task<BanditStatus> GetStatus();
}
