using System.Collections.Immutable;

namespace Cluster.Rollouts;

/// <summary>A canary or linear rollout: move traffic to <paramref name="Target"/> step by step while the gates hold.</summary>
/// <param name="Target">Version (or label) to roll out.</param>
/// <param name="Baseline">Version (or label) it replaces; null takes the heaviest arm of the current split, else the highest other ready version.</param>
/// <param name="Steps">Weights and durations, in order; after the last one the target is promoted to all traffic.</param>
/// <param name="Gates">What rolls the target back.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutPlan")]
public sealed record RolloutPlan(string Target, string? Baseline, ImmutableArray<RolloutStep> Steps, RolloutGates Gates);
