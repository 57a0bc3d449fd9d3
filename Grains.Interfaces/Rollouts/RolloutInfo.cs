using System.Collections.Immutable;

namespace Cluster.Rollouts;

/// <summary>A rollout as it stands.</summary>
/// <param name="Id">Unique id of this rollout.</param>
/// <param name="Model">Model name.</param>
/// <param name="Plan">The plan as submitted.</param>
/// <param name="TargetVersion">The version being rolled out (labels resolved at start).</param>
/// <param name="BaselineVersion">The version it replaces.</param>
/// <param name="Phase">Running, paused or how it ended.</param>
/// <param name="Step">Index of the current (or last) step.</param>
/// <param name="StepStartedAt">When the current step began, moved forward by the time spent paused.</param>
/// <param name="Figures">The current step's latest figures; null before the first reading.</param>
/// <param name="History">Every transition, oldest first.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutInfo")]
public sealed record RolloutInfo(
    string Id,
    string Model,
    RolloutPlan Plan,
    string TargetVersion,
    string BaselineVersion,
    RolloutPhase Phase,
    int Step,
    DateTimeOffset StepStartedAt,
    RolloutFigures? Figures,
    ImmutableArray<RolloutTransition> History)
{
    /// <summary>True while running or paused.</summary>
    public bool IsActive => Phase is RolloutPhase.Running or RolloutPhase.Paused;

    /// <summary>The target's traffic percent now.</summary>
    public double CurrentWeight => Phase switch
    {
        RolloutPhase.Promoted => 100,
        RolloutPhase.RolledBack or RolloutPhase.Aborted => 0,
        _ => Plan.Steps[Step].Weight,
    };
}
