using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Cost;

namespace Cluster.Client.Remote;

/// <summary>Utilization, cost and right-sizing advice, through the HTTP API (figures come rounded to the microsecond, and without batch counts).</summary>
internal sealed partial class GatewayConnection
{
    public async Task<CostReport> GetCost(string window)
    {
        using var body = await Send(HttpMethod.Get, $"api/cost?window={Uri.EscapeDataString(window)}");
        var report = body!.RootElement;
        return new CostReport(
            report.GetProperty("window").GetString()!,
            [.. report.GetProperty("versions").EnumerateArray().Select(VersionCostOf)],
            [.. report.GetProperty("recommendations").EnumerateArray().Select(RecommendationOf)]);
    }

    public async Task<CostRecommendation> ApplyCostRecommendation(string model, string version, string kind, string window)
    {
        using var body = await Send(HttpMethod.Post, "api/cost/recommendations/apply", () => Json(new { model, version, kind, window }));
        return RecommendationOf(body!.RootElement.GetProperty("recommendation"));
    }

    private static VersionCost VersionCostOf(JsonElement v) => new(
        v.GetProperty("model").GetString()!,
        v.GetProperty("version").GetString()!,
        v.GetProperty("device").GetString()!,
        v.GetProperty("replicas").GetInt32(),
        new UsageFigures(v.GetProperty("replica_seconds").GetDouble(), v.GetProperty("busy_seconds").GetDouble(), v.GetProperty("requests").GetInt64(),
            v.GetProperty("rows").GetInt64(), 0, v.GetProperty("memory_byte_seconds").GetDouble()),
        OptionalDouble(v, "compute_seconds_per_1k"),
        v.GetProperty("estimated_cost").GetDouble(),
        OptionalDouble(v, "cost_per_1k_predictions"),
        [.. v.GetProperty("silos").EnumerateArray().Select(s => new SiloUsage(
            s.GetProperty("silo").GetString()!,
            s.GetProperty("device").GetString()!,
            new UsageFigures(s.GetProperty("replica_seconds").GetDouble(), s.GetProperty("busy_seconds").GetDouble(), s.GetProperty("requests").GetInt64(),
                s.GetProperty("rows").GetInt64(), 0, 0),
            s.TryGetProperty("gpu", out var gpu) && gpu.ValueKind == JsonValueKind.String ? gpu.GetString() : null))]);

    private static CostRecommendation RecommendationOf(JsonElement r)
    {
        var action = r.GetProperty("action");
        return new CostRecommendation(
            r.GetProperty("model").GetString()!,
            r.GetProperty("version").GetString()!,
            r.GetProperty("kind").GetString()!,
            r.GetProperty("reason").GetString()!,
            r.GetProperty("estimated_saving").GetDouble(),
            r.GetProperty("figures").EnumerateObject().ToImmutableSortedDictionary(f => f.Name, f => f.Value.GetDouble(), StringComparer.Ordinal),
            action.GetProperty("setting").GetString()!,
            action.GetProperty("value").GetInt32());
    }

    private static double? OptionalDouble(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
