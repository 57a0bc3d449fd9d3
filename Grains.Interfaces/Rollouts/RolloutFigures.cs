using Cluster.Statistics;

namespace Cluster.Rollouts;

/// <summary>What the target and the baseline did during the current step, as the gates see it.</summary>
/// <param name="TargetRequests">Requests the target answered (with outputs or an error).</param>
/// <param name="TargetErrorRate">Failed / answered requests of the target.</param>
/// <param name="TargetP99Ms">The target's p99 latency in the batch worker (queue + compute), in milliseconds.</param>
/// <param name="BaselineRequests">Requests the baseline answered.</param>
/// <param name="BaselineP99Ms">The baseline's p99 latency in milliseconds.</param>
/// <param name="P99LatencyRatio">Target p99 over baseline p99; null until the baseline served enough requests to compare.</param>
/// <param name="DriftScore">Largest population stability index over outputs both versions profiled; null when none can be compared.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutFigures")]
public sealed record RolloutFigures(
    long TargetRequests,
    double TargetErrorRate,
    double TargetP99Ms,
    long BaselineRequests,
    double BaselineP99Ms,
    double? P99LatencyRatio,
    double? DriftScore)
{
    /// <summary>Baseline requests needed in a step before its p99 is compared with the target's.</summary>
    public const int MinBaselineRequests = 10;

    /// <summary>Figures from what each version did in the step.</summary>
    public static RolloutFigures Compare(StatsDelta target, StatsDelta baseline)
    {
        var targetP99 = target.Request.Percentile(0.99) * 1000;
        var baselineP99 = baseline.Request.Percentile(0.99) * 1000;
        double? ratio = baseline.Success >= MinBaselineRequests && target.Success > 0 && baselineP99 > 0 ? targetP99 / baselineP99 : null;
        double? drift = null;
        if (target.Outputs is { } targetOutputs && baseline.Outputs is { } baselineOutputs)
        {
            foreach (var (name, distribution) in targetOutputs)
            {
                if (!baselineOutputs.TryGetValue(name, out var expected) || distribution.Rows == 0 || expected.Rows == 0) continue;
                var score = OutputDistribution.PopulationStability(distribution, expected);
                drift = drift is null ? score : Math.Max(drift.Value, score);
            }
        }
        return new RolloutFigures(target.Requests, target.ErrorRate, targetP99, baseline.Requests, baselineP99, ratio, drift);
    }
}
