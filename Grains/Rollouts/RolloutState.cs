using Cluster.Statistics;

namespace Cluster.Rollouts;

/// <summary>Persistent state of a <see cref="RolloutGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.RolloutState")]
public sealed class RolloutState
{
    /// <summary>The active rollout, else the last one.</summary>
    [Id(0)] public RolloutInfo? Current { get; set; }

    /// <summary>The target's running statistics total when the current step began; the step's figures are what was added since.</summary>
    [Id(1)] public StatsDelta TargetAtStepStart { get; set; } = StatsDelta.Empty;

    /// <summary>The baseline's running total when the current step began.</summary>
    [Id(2)] public StatsDelta BaselineAtStepStart { get; set; } = StatsDelta.Empty;

    /// <summary>How far into its step a paused rollout was.</summary>
    [Id(3)] public TimeSpan ElapsedWhenPaused { get; set; }

    /// <summary>The target's quality sums when the rollout began: labels arrive late, so quality is judged over the whole rollout, not a step.</summary>
    [Id(4)] public Quality.QualitySums TargetQualityAtStart { get; set; } = Quality.QualitySums.Empty;

    /// <summary>The baseline's quality sums when the rollout began.</summary>
    [Id(5)] public Quality.QualitySums BaselineQualityAtStart { get; set; } = Quality.QualitySums.Empty;
}
