using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Rollouts;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Traffic;

/// <summary>
/// Reads a rollout plan, <c>{"target": "2", "baseline": "1", "steps": [{"weight": 10, "duration_seconds": 60}],
/// "gates": {"max_error_rate": 0.01, "max_p99_latency_ratio": 1.5, "max_drift_score": 0.25, "min_requests": 100}}</c>,
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
                gates = new RolloutGates(Number(g, "max_error_rate"), Number(g, "max_p99_latency_ratio"), Number(g, "max_drift_score"), (long)minRequests);
            }
            return new RolloutPlan(target, String(root, "baseline"), steps.ToImmutable(), gates);
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    public static void Write(Utf8JsonWriter writer, RolloutInfo rollout)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rollout.Id);
        writer.WriteString("model", rollout.Model);
        writer.WriteString("target_version", rollout.TargetVersion);
        writer.WriteString("baseline_version", rollout.BaselineVersion);
        writer.WriteString("state", rollout.Phase.Name());
        writer.WriteNumber("step", rollout.Step);
        writer.WriteNumber("target_weight", rollout.CurrentWeight);
        writer.WriteString("step_started_at", rollout.StepStartedAt);
        writer.WriteStartArray("steps");
        foreach (var step in rollout.Plan.Steps)
        {
            writer.WriteStartObject();
            writer.WriteNumber("weight", step.Weight);
            writer.WriteNumber("duration_seconds", step.Duration.TotalSeconds);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        var gates = rollout.Plan.Gates;
        writer.WriteStartObject("gates");
        writer.WriteNumberOrNull("max_error_rate", gates.MaxErrorRate);
        writer.WriteNumberOrNull("max_p99_latency_ratio", gates.MaxP99LatencyRatio);
        writer.WriteNumberOrNull("max_drift_score", gates.MaxDriftScore);
        writer.WriteNumber("min_requests", gates.MinRequests);
        writer.WriteEndObject();
        writer.WritePropertyName("figures");
        Figures(writer, rollout.Figures);
        writer.WriteStartArray("history");
        foreach (var transition in rollout.History)
        {
            writer.WriteStartObject();
            writer.WriteString("at", transition.At);
            writer.WriteString("event", transition.Event);
            writer.WriteNumber("step", transition.Step);
            writer.WriteNumber("target_weight", transition.Weight);
            writer.WriteString("reason", transition.Reason);
            writer.WritePropertyName("figures");
            Figures(writer, transition.Figures);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Figures(Utf8JsonWriter writer, RolloutFigures? figures)
    {
        if (figures is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteNumber("target_requests", figures.TargetRequests);
        writer.WriteNumber("target_error_rate", figures.TargetErrorRate);
        writer.WriteNumber("target_p99_ms", figures.TargetP99Ms);
        writer.WriteNumber("baseline_requests", figures.BaselineRequests);
        writer.WriteNumber("baseline_p99_ms", figures.BaselineP99Ms);
        writer.WriteNumberOrNull("p99_latency_ratio", figures.P99LatencyRatio);
        writer.WriteNumberOrNull("drift_score", figures.DriftScore);
        writer.WriteEndObject();
    }

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
