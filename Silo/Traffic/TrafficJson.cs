using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Bandits;
using Cluster.Errors;
using Cluster.Models;

namespace Cluster.Silo.Traffic;

/// <summary>Reads and writes <c>{"weights": {"1": 90, "canary": 10}, "shadows": [{"version": "3", "fraction": 0.25}], "sticky": true}</c>.</summary>
internal static class TrafficJson
{
    private const string Expected = "The body must be {\"weights\": {\"<version or label>\": <weight>, ...}, \"shadows\": [{\"version\": \"<version or label>\", \"fraction\": <0-1>}], \"sticky\": true|false}.";

    public static TrafficPolicy Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException(Expected);
            var weights = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            if (root.TryGetProperty("weights", out var weightsJson))
            {
                if (weightsJson.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException(Expected);
                foreach (var weight in weightsJson.EnumerateObject())
                {
                    if (weight.Value.ValueKind != JsonValueKind.Number) throw new InvalidInferenceRequestException($"The weight of '{weight.Name}' must be a number.");
                    weights[weight.Name] = weight.Value.GetDouble();
                }
            }
            var shadows = ImmutableArray.CreateBuilder<ShadowTarget>();
            if (root.TryGetProperty("shadows", out var shadowsJson) && shadowsJson.ValueKind != JsonValueKind.Null)
            {
                if (shadowsJson.ValueKind != JsonValueKind.Array) throw new InvalidInferenceRequestException(Expected);
                foreach (var shadow in shadowsJson.EnumerateArray())
                {
                    if (shadow.ValueKind != JsonValueKind.Object || !shadow.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidInferenceRequestException("Each shadow must be {\"version\": \"<version or label>\", \"fraction\": <0-1>}.");
                    }
                    var fraction = 1.0;
                    if (shadow.TryGetProperty("fraction", out var f))
                    {
                        if (f.ValueKind != JsonValueKind.Number) throw new InvalidInferenceRequestException("A shadow's fraction must be a number in (0, 1].");
                        fraction = f.GetDouble();
                    }
                    shadows.Add(new ShadowTarget(version.GetString()!, fraction));
                }
            }
            if (!root.TryGetProperty("weights", out _) && !root.TryGetProperty("shadows", out _)) throw new InvalidInferenceRequestException(Expected);
            var sticky = !root.TryGetProperty("sticky", out var s) || s.ValueKind != JsonValueKind.False;
            return new TrafficPolicy(weights.ToImmutable(), sticky, shadows.ToImmutable(), Bandit: ReadBandit(root));
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    /// <summary><c>"bandit": true</c>, or <c>{"exploration": 0.1}</c>; absent, false or null: no bandit.</summary>
    private static BanditSettings? ReadBandit(JsonElement root)
    {
        if (!root.TryGetProperty("bandit", out var bandit)) return null;
        switch (bandit.ValueKind)
        {
            case JsonValueKind.False or JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return new BanditSettings();
            case JsonValueKind.Object:
                if (!bandit.TryGetProperty("exploration", out var exploration)) return new BanditSettings();
                if (exploration.ValueKind != JsonValueKind.Number) throw new InvalidInferenceRequestException("The bandit's exploration must be a number in (0, 1].");
                return new BanditSettings(exploration.GetDouble());
            default:
                throw new InvalidInferenceRequestException("\"bandit\" must be true, false or {\"exploration\": <0-1>}.");
        }
    }

    public static TrafficBody Body(ModelInfo model)
    {
        var traffic = model.Traffic;
        return new(
            model.Name,
            model.DefaultVersion,
            traffic?.Weights ?? ImmutableDictionary<string, double>.Empty,
            [.. (traffic?.ShadowTargets ?? []).Select(s => new ShadowBody(s.Version, s.Fraction))],
            traffic?.Sticky ?? false,
            traffic?.Rollout,
            traffic?.Bandit is { } bandit ? new BanditBody(bandit.Exploration) : null);
    }

    /// <summary>A model's traffic policy as the API shows it; <c>bandit</c> is null without one.</summary>
    internal sealed record TrafficBody(string Model, string? DefaultVersion, IReadOnlyDictionary<string, double> Weights, ShadowBody[] Shadows, bool Sticky, string? Rollout, BanditBody? Bandit);

    internal sealed record ShadowBody(string Version, double Fraction);

    internal sealed record BanditBody(double Exploration);
}
