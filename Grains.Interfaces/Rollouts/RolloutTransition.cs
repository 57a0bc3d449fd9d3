namespace Cluster.Rollouts;

/// <summary>One recorded change of a rollout, with why it happened and the figures that caused it.</summary>
/// <param name="At">When.</param>
/// <param name="Event">started, advanced, paused, resumed, promoted, rolled_back or aborted.</param>
/// <param name="Step">The step index after the change.</param>
/// <param name="Weight">The target's traffic percent after the change.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Figures">The step's figures when the change was decided; null when none were read.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutTransition")]
public sealed record RolloutTransition(DateTimeOffset At, string Event, int Step, double Weight, string Reason, RolloutFigures? Figures);
