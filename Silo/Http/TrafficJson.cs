using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Models;

namespace Cluster.Silo.Http;

/// <summary>Reads and writes <c>{"weights": {"1": 90, "canary": 10}, "sticky": true}</c>.</summary>
internal static class TrafficJson
{
    public static TrafficPolicy Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weights", out var weights) || weights.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInferenceRequestException("The body must be {\"weights\": {\"<version or label>\": <weight>, ...}, \"sticky\": true|false}.");
            }
            if (root.TryGetProperty("shadows", out var shadows) && shadows.ValueKind == JsonValueKind.Array && shadows.GetArrayLength() > 0)
            {
                throw new InvalidInferenceRequestException("Shadow versions are not supported yet.");
            }
            var builder = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            foreach (var weight in weights.EnumerateObject())
            {
                if (weight.Value.ValueKind != JsonValueKind.Number) throw new InvalidInferenceRequestException($"The weight of '{weight.Name}' must be a number.");
                builder[weight.Name] = weight.Value.GetDouble();
            }
            var sticky = !root.TryGetProperty("sticky", out var s) || s.ValueKind != JsonValueKind.False;
            return new TrafficPolicy(builder.ToImmutable(), sticky);
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    public static void Write(Utf8JsonWriter writer, ModelInfo model)
    {
        writer.WriteStartObject();
        writer.WriteString("model", model.Name);
        writer.WriteString("default_version", model.DefaultVersion);
        writer.WriteStartObject("weights");
        foreach (var (arm, weight) in model.Traffic?.Weights ?? ImmutableDictionary<string, double>.Empty) writer.WriteNumber(arm, weight);
        writer.WriteEndObject();
        writer.WriteBoolean("sticky", model.Traffic?.Sticky ?? false);
        writer.WriteEndObject();
    }
}
