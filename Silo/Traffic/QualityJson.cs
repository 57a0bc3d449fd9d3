using System.Text.Json.Serialization;
using Cluster.Quality;

namespace Cluster.Silo.Traffic;

/// <summary>An arm's quality and a difference between arms, as the traffic figures and rollouts write them.</summary>
internal static class QualityJson
{
    public static ArmQualityBody Arm(ArmQuality quality) => new(quality.Labelled, quality.Accuracy, quality.Mae);

    public static IntervalBody? Interval(QualityInterval? interval) => interval is null ? null : new(interval.Difference, interval.Low, interval.High);

    /// <summary><c>accuracy</c> for a classifier, <c>mae</c> for a regression model; left out over no labels.</summary>
    internal sealed record ArmQualityBody(
        long Labelled,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Accuracy,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Mae);

    /// <summary>A difference with its 95 % confidence interval.</summary>
    internal sealed record IntervalBody(
        double Difference,
        [property: JsonPropertyName("ci95_low")] double Low,
        [property: JsonPropertyName("ci95_high")] double High);
}
