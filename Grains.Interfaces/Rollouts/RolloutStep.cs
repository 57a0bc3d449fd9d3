namespace Cluster.Rollouts;

/// <summary>One step of a rollout: the target's share of traffic and how long it holds before the next step.</summary>
/// <param name="Weight">Percent of traffic (0–100) sent to the target version; the baseline gets the rest.</param>
/// <param name="Duration">The least time the step lasts; it also waits for the gates' minimum number of requests.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutStep")]
public sealed record RolloutStep(double Weight, TimeSpan Duration);
