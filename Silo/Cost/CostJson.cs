using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Cluster.Cost;

namespace Cluster.Silo.Cost;

/// <summary>The cost API's bodies, snake_case on the wire; figures rounded to what a reader can use.</summary>
internal static class CostJson
{
    public static ReportBody Report(CostReport report) => new(
        report.Window,
        [.. report.Versions.Select(Version)],
        [.. report.Recommendations.Select(Recommendation)]);

    public static VersionBody Version(VersionCost cost) => new(
        cost.Model,
        cost.Version,
        cost.Device,
        cost.Replicas,
        Round(cost.Usage.ReplicaSeconds),
        Round(cost.Usage.BusySeconds),
        Round(cost.Usage.Utilization),
        cost.Usage.Requests,
        cost.Usage.Rows,
        cost.ComputeSecondsPer1k is { } compute ? Round(compute) : null,
        Round(cost.Usage.MemoryByteSeconds),
        Round(cost.EstimatedCost),
        cost.CostPer1kPredictions is { } per1k ? Round(per1k) : null,
        [.. cost.Silos.Select(s => new SiloBody(s.Silo, s.Device, s.Gpu, Round(s.Figures.ReplicaSeconds), Round(s.Figures.BusySeconds), Round(s.Figures.Utilization), s.Figures.Requests, s.Figures.Rows))]);

    public static RecommendationBody Recommendation(CostRecommendation advice) => new(
        advice.Model,
        advice.Version,
        advice.Kind,
        advice.Reason,
        Round(advice.EstimatedSavingPerDay),
        advice.Figures.ToImmutableSortedDictionary(f => f.Key, f => Round(f.Value), StringComparer.Ordinal),
        new ActionBody(advice.Setting, advice.Value));

    private static double Round(double value) => Math.Round(value, 6);

    internal sealed record ReportBody(string Window, VersionBody[] Versions, RecommendationBody[] Recommendations);

    internal sealed record VersionBody(string Model, string Version, string Device, int Replicas, double ReplicaSeconds, double BusySeconds, double Utilization,
        long Requests, long Rows, [property: JsonPropertyName("compute_seconds_per_1k")] double? ComputeSecondsPer1k, double MemoryByteSeconds, double EstimatedCost,
        [property: JsonPropertyName("cost_per_1k_predictions")] double? CostPer1kPredictions, SiloBody[] Silos);

    internal sealed record SiloBody(string Silo, string Device, string? Gpu, double ReplicaSeconds, double BusySeconds, double Utilization, long Requests, long Rows);

    /// <summary>Advice; <c>estimated_saving</c> is per day at the configured prices, <c>action</c> what applying it sets.</summary>
    internal sealed record RecommendationBody(string Model, string Version, string Kind, string Reason, double EstimatedSaving,
        ImmutableSortedDictionary<string, double> Figures, ActionBody Action);

    internal sealed record ActionBody(string Setting, int Value);

    internal sealed record AppliedBody(bool Applied, RecommendationBody Recommendation);
}
