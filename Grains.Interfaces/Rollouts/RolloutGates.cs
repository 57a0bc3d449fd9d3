namespace Cluster.Rollouts;

/// <summary>
/// Conditions the target must meet during each step, judged on the step's own requests once there
/// are at least <paramref name="MinRequests"/> of them; a gate left null is not checked.
/// </summary>
/// <param name="MaxErrorRate">Most failed / answered requests of the target (0–1).</param>
/// <param name="MaxP99LatencyRatio">Most target p99 / baseline p99 latency (judged when the baseline served at least 10 requests in the step).</param>
/// <param name="MaxDriftScore">Most population stability index between the target's and the baseline's output distributions.</param>
/// <param name="MinRequests">Requests the target must answer in a step before gates are judged and before the step may end.</param>
/// <param name="MinAccuracyDelta">
/// Least target − baseline accuracy (e.g. −0.02: at most 2 points worse), judged on ground truth for
/// predictions since the rollout began: it rolls back when the whole 95 % interval of the difference lies
/// below this. A classification model with a quality config only.
/// </param>
/// <param name="MinLabels">Labels each arm needs before <paramref name="MinAccuracyDelta"/> is judged; until then no step ends.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutGates")]
public sealed record RolloutGates(double? MaxErrorRate, double? MaxP99LatencyRatio, double? MaxDriftScore, long MinRequests,
    double? MinAccuracyDelta = null, long MinLabels = RolloutGates.DefaultMinLabels)
{
    /// <summary>Labels per arm before the accuracy gate is judged, when the plan names no number.</summary>
    public const long DefaultMinLabels = 100;
}
