namespace Cluster.Bandits;

/// <summary>A reward for one served request, as the ground-truth join derives it from correctness.</summary>
/// <param name="RequestId">The id the request was served under.</param>
/// <param name="Reward">In [0, 1]: 1 when the prediction matched its label, 0 when it did not.</param>
[GenerateSerializer, Immutable, Alias("Cluster.BanditReward")]
public sealed record BanditReward(string RequestId, double Reward);
