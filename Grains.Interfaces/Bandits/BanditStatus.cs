using System.Collections.Immutable;

namespace Cluster.Bandits;

/// <summary>A model's bandit: its arms and what happened to feedback.</summary>
/// <param name="Arms">Arms with their probabilities and rewards.</param>
/// <param name="Matched">Feedback matched to a request the bandit knew.</param>
/// <param name="Unmatched">Feedback for request ids it never saw (or forgot: ids are kept one hour).</param>
[GenerateSerializer, Immutable, Alias("Cluster.BanditStatus")]
public sealed record BanditStatus(ImmutableArray<BanditArm> Arms, long Matched, long Unmatched);
