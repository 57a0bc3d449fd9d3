namespace Cluster.Models;

/// <summary>Drift reference and alert thresholds of a model (config.json <c>drift</c> and <c>alerts</c>).</summary>
/// <param name="ReferenceRows">Rows of the first requests a version profiles as its drift reference, unless a sample set was posted; 0 turns drift off.</param>
/// <param name="MaxDriftScore">Alert when a version's drift score (largest PSI over features and outputs) exceeds this.</param>
/// <param name="MaxP99Ms">Alert when a version's p99 latency over the last minute exceeds this many milliseconds.</param>
/// <param name="MaxErrorRate">Alert when a version's share of failed requests over the last minute exceeds this (0–1).</param>
/// <param name="MinAccuracy">Alert (kind <c>misclassification_rate</c>, judged as 1 − accuracy against 1 − this) when a classifier's accuracy over its labelled predictions falls below this (0–1).</param>
/// <param name="MaxMae">Alert (kind <c>mae</c>) when a regression model's mean absolute error over its labelled predictions exceeds this.</param>
/// <param name="MaxDisparity">Alert (kind <c>disparity</c>) when a binary classifier's largest gap between segments, in positive rate or true-positive rate, exceeds this (0–1).</param>
/// <param name="Statistics">False stops recording statistics in grain state (latency, outputs, drift) for the model; OpenTelemetry metrics stay.</param>
[GenerateSerializer, Immutable, Alias("Cluster.MonitoringConfig")]
public sealed record MonitoringConfig(int ReferenceRows = MonitoringConfig.DefaultReferenceRows, double? MaxDriftScore = null, double? MaxP99Ms = null, double? MaxErrorRate = null, bool Statistics = true, double? MinAccuracy = null, double? MaxMae = null, double? MaxDisparity = null)
{
    /// <summary>Reference rows when config.json says nothing.</summary>
    public const int DefaultReferenceRows = 1000;

    /// <summary>The default: a 1,000-row reference, no alerts.</summary>
    public static MonitoringConfig Default { get; } = new();
}
