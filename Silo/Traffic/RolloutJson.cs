using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Errors;
using Cluster.Rollouts;

namespace Cluster.Silo.Traffic;

/// <summary>
/// Reads a rollout plan, <c>{"target": "2", "baseline": "1", "steps": [{"weight": 10, "duration_seconds": 60}],
/// "gates": {"max_error_rate": 0.01, "max_p99_latency_ratio": 1.5, "max_drift_score": 0.25, "min_requests": 100,
/// "min_accuracy_delta": -0.02, "min_labels": 100}}</c>,
/// and writes a rollout with its figures and history.
/// </summary>
internal static class RolloutJson
{
    public static RolloutPlan Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException("The body must be a rollout plan object.");
            var target = String(root, "target") ?? throw new InvalidInferenceRequestException("The plan needs a \"target\" version or label.");
            var steps = ImmutableArray.CreateBuilder<RolloutStep>();
            if (!root.TryGetProperty("steps", out var stepsJson) || stepsJson.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidInferenceRequestException("The plan needs \"steps\": [{\"weight\": <percent>, \"duration_seconds\": <seconds>}, ...].");
            }
            foreach (var step in stepsJson.EnumerateArray())
            {
                if (step.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException("Each step must be an object.");
                var weight = Number(step, "weight") ?? throw new InvalidInferenceRequestException("Each step needs a \"weight\".");
                var seconds = Number(step, "duration_seconds") ?? throw new InvalidInferenceRequestException("Each step needs \"duration_seconds\".");
                if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(30).TotalSeconds) throw new InvalidInferenceRequestException("duration_seconds must be between 0 and 30 days.");
                steps.Add(new RolloutStep(weight, TimeSpan.FromSeconds(seconds)));
            }
            var gates = new RolloutGates(null, null, null, 0);
            if (root.TryGetProperty("gates", out var g) && g.ValueKind != JsonValueKind.Null)
            {
                if (g.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException("\"gates\" must be an object.");
                var minRequests = Number(g, "min_requests") ?? 0;
                if (minRequests < 0 || minRequests > long.MaxValue / 2 || minRequests != Math.Floor(minRequests)) throw new InvalidInferenceRequestException("min_requests must be a whole number ≥ 0.");
                var minLabels = Number(g, "min_labels") ?? RolloutGates.DefaultMinLabels;
                if (minLabels < 1 || minLabels > long.MaxValue / 2 || minLabels != Math.Floor(minLabels)) throw new InvalidInferenceRequestException("min_labels must be a whole number ≥ 1.");
                gates = new RolloutGates(Number(g, "max_error_rate"), Number(g, "max_p99_latency_ratio"), Number(g, "max_drift_score"), (long)minRequests,
                    Number(g, "min_accuracy_delta"), (long)minLabels);
            }
            return new RolloutPlan(target, String(root, "baseline"), steps.ToImmutable(), gates);
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    public static RolloutBody Body(RolloutInfo rollout)
    {
        var gates = rollout.Plan.Gates;
        return new(
            rollout.Id,
            rollout.Model,
            rollout.TargetVersion,
            rollout.BaselineVersion,
            rollout.Phase.Name(),
            rollout.Step,
            rollout.CurrentWeight,
            rollout.StepStartedAt,
            [.. rollout.Plan.Steps.Select(step => new StepBody(step.Weight, step.Duration.TotalSeconds))],
            new GatesBody(gates.MaxErrorRate, gates.MaxP99LatencyRatio, gates.MaxDriftScore, gates.MinRequests, gates.MinAccuracyDelta, gates.MinLabels),
            Figures(rollout.Figures),
            [.. rollout.History.Select(t => new TransitionBody(t.At, t.Event, t.Step, t.Weight, t.Reason, Figures(t.Figures)))]);
    }

    private static FiguresBody? Figures(RolloutFigures? figures) => figures is null ? null : new(
        figures.TargetRequests, figures.TargetErrorRate, figures.TargetP99Ms, figures.BaselineRequests, figures.BaselineP99Ms, figures.P99LatencyRatio, figures.DriftScore,
        figures.TargetQuality is null ? null : new QualityFiguresBody(QualityJson.Arm(figures.TargetQuality), QualityJson.Arm(figures.BaselineQuality!), QualityJson.Interval(figures.QualityDifference)));

    /// <summary>A rollout with its plan, the figures of its current step (null before any) and its history.</summary>
    internal sealed record RolloutBody(
        string Id,
        string Model,
        string TargetVersion,
        string BaselineVersion,
        string State,
        int Step,
        double TargetWeight,
        DateTimeOffset StepStartedAt,
        StepBody[] Steps,
        GatesBody Gates,
        FiguresBody? Figures,
        TransitionBody[] History);

    internal sealed record StepBody(double Weight, double DurationSeconds);

    internal sealed record GatesBody(
        double? MaxErrorRate,
        [property: JsonPropertyName("max_p99_latency_ratio")] double? MaxP99LatencyRatio,
        double? MaxDriftScore,
        long MinRequests,
        double? MinAccuracyDelta,
        long MinLabels);

    internal sealed record FiguresBody(
        long TargetRequests,
        double TargetErrorRate,
        [property: JsonPropertyName("target_p99_ms")] double TargetP99Ms,
        long BaselineRequests,
        [property: JsonPropertyName("baseline_p99_ms")] double BaselineP99Ms,
        [property: JsonPropertyName("p99_latency_ratio")] double? P99LatencyRatio,
        double? DriftScore,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QualityFiguresBody? Quality);

    /// <summary>Each arm's quality on labels since the rollout began, and target − baseline with its 95 % interval (null until both have labels).</summary>
    internal sealed record QualityFiguresBody(QualityJson.ArmQualityBody Target, QualityJson.ArmQualityBody Baseline, QualityJson.IntervalBody? TargetMinusBaseline);

    internal sealed record TransitionBody(DateTimeOffset At, string Event, int Step, double TargetWeight, string Reason, FiguresBody? Figures);

    private static string? String(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidInferenceRequestException($"\"{name}\" must be a string.");
    }

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new InvalidInferenceRequestException($"\"{name}\" must be a number.");
    }
}
