namespace Cluster.Rollouts;

/// <summary>What a running rollout does after one look at its figures.</summary>
public enum RolloutMove
{
    /// <summary>Keep the current step.</summary>
    Stay,

    /// <summary>Go to the next step (<see cref="RolloutDecision.Step"/>) and its weight.</summary>
    Advance,

    /// <summary>All steps passed: the target takes all traffic.</summary>
    Promote,

    /// <summary>A gate failed or the target stopped serving: traffic goes back to the baseline.</summary>
    RollBack,
}

/// <summary>A rollout's next move, the step it leads to and why.</summary>
public sealed record RolloutDecision(RolloutMove Move, int Step, string Reason)
{
    /// <summary>Keep the step; nothing to record.</summary>
    public static RolloutDecision Stay(int step) => new(RolloutMove.Stay, step, "");
}
