using Cluster.Rollouts;

namespace Cluster.Grains;

/// <summary>Runs one model's rollouts on a durable reminder, so a silo restart does not stop one halfway; key: model name.</summary>
[Alias("Cluster.IRolloutGrain")]
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Starts a rollout: applies the first step's weights at once. Refused while another is active.</summary>
    [Alias("Start")] Task<RolloutInfo> Start(RolloutPlan plan);

    /// <summary>The active rollout, else the last one; null when the model never had one.</summary>
    [Alias("GetCurrent"), ReadOnly] Task<RolloutInfo?> GetCurrent();

    /// <summary>Holds the rollout at its current weights; gates are not judged while paused.</summary>
    [Alias("Pause")] Task<RolloutInfo> Pause();

    /// <summary>Continues a paused rollout where it stopped.</summary>
    [Alias("Resume")] Task<RolloutInfo> Resume();

    /// <summary>Stops the rollout and sends all traffic back to the baseline.</summary>
    [Alias("Abort")] Task<RolloutInfo> Abort();

    /// <summary>Activates the grain so that an active rollout picks up again (after a restart) without waiting for its reminder.</summary>
    [Alias("Wake"), OneWay] Task Wake();
}
