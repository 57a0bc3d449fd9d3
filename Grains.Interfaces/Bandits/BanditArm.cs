namespace Cluster.Bandits;

/// <summary>One arm of a bandit as it stands.</summary>
/// <param name="Version">The version.</param>
/// <param name="Probability">Its share of traffic now.</param>
/// <param name="Rewards">Feedback received for requests it served.</param>
/// <param name="RewardSum">Sum of those rewards.</param>
[GenerateSerializer, Immutable, Alias("Cluster.BanditArm")]
public sealed record BanditArm(string Version, double Probability, long Rewards, double RewardSum)
{
    /// <summary>Mean reward; 0 before any feedback.</summary>
    public double MeanReward => Rewards == 0 ? 0 : RewardSum / Rewards;
}
