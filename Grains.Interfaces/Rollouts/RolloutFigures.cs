namespace Cluster.Rollouts;

/// <summary>What the target and the baseline did during the current step, as the gates see it.</summary>
/// <param name="TargetRequests">Requests the target answered (with outputs or an error).</param>
/// <param name="TargetErrorRate">Failed / answered requests of the target.</param>
/// <param name="TargetP99Ms">The target's p99 latency in the batch worker (queue + compute), in milliseconds.</param>
/// <param name="BaselineRequests">Requests the baseline answered.</param>
/// <param name="BaselineP99Ms">The baseline's p99 latency in milliseconds.</param>
/// <param name="P99LatencyRatio">Target p99 over baseline p99; null until the baseline served enough requests to compare.</param>
/// <param name="DriftScore">Largest population stability index over outputs both versions profiled; null when none can be compared.</param>
/// <param name="TargetQuality">The target's quality on labels for predictions since the rollout began; null without a quality config.</param>
/// <param name="BaselineQuality">The baseline's, over the same time.</param>
/// <param name="QualityDifference">Target − baseline accuracy (or MAE) with its 95 % interval; null until both arms have labels enough to say.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutFigures")]
public sealed record RolloutFigures(
    long TargetRequests,
    double TargetErrorRate,
    double TargetP99Ms,
    long BaselineRequests,
    double BaselineP99Ms,
    double? P99LatencyRatio,
    double? DriftScore,
    Quality.ArmQuality? TargetQuality = null,
    Quality.ArmQuality? BaselineQuality = null,
    Quality.QualityInterval? QualityDifference = null);
