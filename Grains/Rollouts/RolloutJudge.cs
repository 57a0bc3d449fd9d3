using Cluster.Models;
using Cluster.Quality;
using Cluster.Statistics;

namespace Cluster.Rollouts;

/// <summary>
/// The rollout's rules, apart from the grain that runs them: figures from what each version did in
/// a step, the gates' verdict on them, and the step machine (stay, advance, promote, roll back).
/// </summary>
public static class RolloutJudge
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
                var score = Drift.DriftMath.Psi(distribution, expected);
                drift = drift is null ? score : Math.Max(drift.Value, score);
            }
        }
        return new RolloutFigures(target.Requests, target.ErrorRate, targetP99, baseline.Requests, baselineP99, ratio, drift);
    }

    /// <summary>
    /// <paramref name="figures"/> with each arm's quality on labels that arrived since the rollout began
    /// (sums now minus sums at the start) and the target − baseline difference with its 95 % interval.
    /// </summary>
    public static RolloutFigures WithQuality(RolloutFigures figures, QualitySums target, QualitySums baseline, QualityTask task) => figures with
    {
        TargetQuality = ArmComparison.Of(target, task),
        BaselineQuality = ArmComparison.Of(baseline, task),
        QualityDifference = ArmComparison.Difference(target, baseline, task),
    };

    /// <summary>True while the accuracy gate still waits for labels: until then no step ends.</summary>
    public static bool AwaitsLabels(RolloutGates gates, RolloutFigures figures) =>
        gates.MinAccuracyDelta is not null
        && ((figures.TargetQuality?.Labelled ?? 0) < gates.MinLabels || (figures.BaselineQuality?.Labelled ?? 0) < gates.MinLabels);

    /// <summary>Judges figures against the gates: null when they pass (or too few requests or labels were seen to judge), else why they fail.</summary>
    public static string? Failure(RolloutGates gates, RolloutFigures figures)
    {
        // Labels count over the whole rollout, so the accuracy gate does not wait for the step's own requests.
        if (gates.MinAccuracyDelta is { } minDelta && !AwaitsLabels(gates, figures) && figures.QualityDifference is { } difference
            && figures.TargetQuality?.Accuracy is { } targetAccuracy && figures.BaselineQuality?.Accuracy is { } baselineAccuracy && difference.High < minDelta)
        {
            return $"accuracy {targetAccuracy:P1} over {figures.TargetQuality.Labelled} labels against the baseline's {baselineAccuracy:P1} over {figures.BaselineQuality.Labelled}: "
                + $"difference {difference.Difference:+0.000;-0.000} (95 % interval {difference.Low:+0.000;-0.000} to {difference.High:+0.000;-0.000}) is below the gate of {minDelta:+0.000;-0.000}";
        }
        if (figures.TargetRequests < Math.Max(1, gates.MinRequests)) return null;
        if (gates.MaxErrorRate is { } maxErrors && figures.TargetErrorRate > maxErrors)
        {
            return $"error rate {figures.TargetErrorRate:P1} over {figures.TargetRequests} requests exceeds the gate of {maxErrors:P1}";
        }
        if (gates.MaxP99LatencyRatio is { } maxRatio && figures.P99LatencyRatio is { } ratio && ratio > maxRatio)
        {
            return $"p99 latency {figures.TargetP99Ms:F2} ms is {ratio:F2}× the baseline's {figures.BaselineP99Ms:F2} ms, above the gate of {maxRatio:F2}×";
        }
        if (gates.MaxDriftScore is { } maxDrift && figures.DriftScore is { } drift && drift > maxDrift)
        {
            return $"output drift score (PSI vs baseline) {drift:F3} exceeds the gate of {maxDrift:F3}";
        }
        return null;
    }

    /// <summary>
    /// The next move of a running rollout: back when the target stopped serving or a gate fails;
    /// on when the step's time is up, the target answered enough requests and, with an accuracy gate,
    /// each arm has its labels (promote after the last step); else stay.
    /// </summary>
    public static RolloutDecision Decide(RolloutInfo rollout, bool targetServing, RolloutFigures figures, DateTimeOffset now)
    {
        if (!targetServing) return new(RolloutMove.RollBack, rollout.Step, $"target version {rollout.TargetVersion} stopped serving");
        if (Failure(rollout.Plan.Gates, figures) is { } failure) return new(RolloutMove.RollBack, rollout.Step, $"step {rollout.Step + 1}: {failure}");
        var step = rollout.Plan.Steps[rollout.Step];
        if (now - rollout.StepStartedAt < step.Duration || figures.TargetRequests < rollout.Plan.Gates.MinRequests || AwaitsLabels(rollout.Plan.Gates, figures))
        {
            return RolloutDecision.Stay(rollout.Step);
        }
        if (rollout.Step + 1 == rollout.Plan.Steps.Length) return new(RolloutMove.Promote, rollout.Step, $"all {rollout.Plan.Steps.Length} steps passed their gates");
        var next = rollout.Step + 1;
        return new(RolloutMove.Advance, next, $"step {rollout.Step + 1} passed its gates; target weight {rollout.Plan.Steps[next].Weight}");
    }
}
