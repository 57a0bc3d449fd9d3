using System.Text.Json;
using Cluster.Errors;
using Cluster.Rollouts;

namespace Cluster.Client.Remote;

/// <summary>The rollout API's bodies as <see cref="RolloutInfo"/>, and plans as its request body.</summary>
internal static class RolloutJsonReader
{
    public static object PlanBody(RolloutPlan plan) => new
    {
        target = plan.Target,
        baseline = plan.Baseline,
        steps = plan.Steps.Select(s => new { weight = s.Weight, duration_seconds = s.Duration.TotalSeconds }).ToArray(),
        gates = new
        {
            max_error_rate = plan.Gates.MaxErrorRate,
            max_p99_latency_ratio = plan.Gates.MaxP99LatencyRatio,
            max_drift_score = plan.Gates.MaxDriftScore,
            min_requests = plan.Gates.MinRequests,
            min_accuracy_delta = plan.Gates.MinAccuracyDelta,
            min_labels = plan.Gates.MinLabels,
        },
    };

    public static RolloutInfo Rollout(JsonElement rollout)
    {
        var gates = rollout.GetProperty("gates");
        var baseline = rollout.GetProperty("baseline_version").GetString()!;
        var plan = new RolloutPlan(
            rollout.GetProperty("target_version").GetString()!,
            baseline,
            [.. rollout.GetProperty("steps").EnumerateArray().Select(s => new RolloutStep(s.GetProperty("weight").GetDouble(), TimeSpan.FromSeconds(s.GetProperty("duration_seconds").GetDouble())))],
            new RolloutGates(JsonFields.Number(gates, "max_error_rate"), JsonFields.Number(gates, "max_p99_latency_ratio"), JsonFields.Number(gates, "max_drift_score"), gates.GetProperty("min_requests").GetInt64(),
                JsonFields.Number(gates, "min_accuracy_delta"), gates.GetProperty("min_labels").GetInt64()));
        return new RolloutInfo(
            rollout.GetProperty("id").GetString()!,
            rollout.GetProperty("model").GetString()!,
            plan,
            plan.Target,
            baseline,
            Phase(rollout.GetProperty("state").GetString()!),
            rollout.GetProperty("step").GetInt32(),
            rollout.GetProperty("step_started_at").GetDateTimeOffset(),
            Figures(rollout.GetProperty("figures")),
            [.. rollout.GetProperty("history").EnumerateArray().Select(t => new RolloutTransition(
                t.GetProperty("at").GetDateTimeOffset(),
                t.GetProperty("event").GetString()!,
                t.GetProperty("step").GetInt32(),
                t.GetProperty("target_weight").GetDouble(),
                t.GetProperty("reason").GetString()!,
                Figures(t.GetProperty("figures"))))]);
    }

    private static RolloutFigures? Figures(JsonElement figures) => figures.ValueKind != JsonValueKind.Object ? null : new RolloutFigures(
        figures.GetProperty("target_requests").GetInt64(),
        figures.GetProperty("target_error_rate").GetDouble(),
        figures.GetProperty("target_p99_ms").GetDouble(),
        figures.GetProperty("baseline_requests").GetInt64(),
        figures.GetProperty("baseline_p99_ms").GetDouble(),
        JsonFields.Number(figures, "p99_latency_ratio"),
        JsonFields.Number(figures, "drift_score"),
        figures.TryGetProperty("quality", out var quality) ? Arm(quality.GetProperty("target")) : null,
        figures.TryGetProperty("quality", out var baseline) ? Arm(baseline.GetProperty("baseline")) : null,
        figures.TryGetProperty("quality", out var difference) ? Interval(difference.GetProperty("target_minus_baseline")) : null);

    /// <summary>An arm's quality as the traffic figures and rollouts write it.</summary>
    public static Quality.ArmQuality Arm(JsonElement arm) =>
        new(arm.GetProperty("labelled").GetInt64(), JsonFields.Number(arm, "accuracy"), JsonFields.Number(arm, "mae"));

    /// <summary>A difference between arms with its 95 % interval; null where the body has none.</summary>
    public static Quality.QualityInterval? Interval(JsonElement interval) => interval.ValueKind != JsonValueKind.Object ? null
        : new(interval.GetProperty("difference").GetDouble(), interval.GetProperty("ci95_low").GetDouble(), interval.GetProperty("ci95_high").GetDouble());

    private static RolloutPhase Phase(string state) =>
        Enum.GetValues<RolloutPhase>().FirstOrDefault(p => p.Name() == state) is var phase && phase.Name() == state
            ? phase
            : throw new InferenceFailedException($"The gateway reported an unknown rollout state '{state}'.");
}
