namespace Cluster.Rollouts;

/// <summary>How a rollout phase is written in the API and in messages.</summary>
public static class RolloutPhaseNames
{
    /// <summary><c>running</c>, <c>paused</c>, <c>promoted</c>, <c>rolled_back</c> or <c>aborted</c>.</summary>
    public static string Name(this RolloutPhase phase) => phase switch
    {
        RolloutPhase.Running => "running",
        RolloutPhase.Paused => "paused",
        RolloutPhase.Promoted => "promoted",
        RolloutPhase.RolledBack => "rolled_back",
        _ => "aborted",
    };
}
