namespace Cluster.Rollouts;

/// <summary>Where a rollout is.</summary>
[GenerateSerializer, Alias("Cluster.RolloutPhase")]
public enum RolloutPhase
{
    /// <summary>Moving through its steps.</summary>
    Running,
    /// <summary>Held by an operator at its current step and weights.</summary>
    Paused,
    /// <summary>Finished: the target serves all traffic.</summary>
    Promoted,
    /// <summary>A gate failed: traffic went back to the baseline.</summary>
    RolledBack,
    /// <summary>Stopped by an operator: traffic went back to the baseline.</summary>
    Aborted,
}
