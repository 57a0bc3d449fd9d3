namespace Cluster.Rollouts;

/// <summary>
/// Conditions the target must meet during each step, judged on the step's own requests once there
/// are at least <paramref name="MinRequests"/> of them; a gate left null is not checked.
/// </summary>
/// <param name="MaxErrorRate">Most failed / answered requests of the target (0–1).</param>
/// <param name="MaxP99LatencyRatio">Most target p99 / baseline p99 latency (judged when the baseline served at least 10 requests in the step).</param>
/// <param name="MaxDriftScore">Most population stability index between the target's and the baseline's output distributions.</param>
/// <param name="MinRequests">Requests the target must answer in a step before gates are judged and before the step may end.</param>
[GenerateSerializer, Immutable, Alias("Cluster.RolloutGates")]
public sealed record RolloutGates(double? MaxErrorRate, double? MaxP99LatencyRatio, double? MaxDriftScore, long MinRequests)
{
    /// <summary>Judges figures against the gates: null when they pass, else why they fail.</summary>
    public string? Failure(RolloutFigures figures)
    {
        if (figures.TargetRequests < Math.Max(1, MinRequests)) return null;
        if (MaxErrorRate is { } maxErrors && figures.TargetErrorRate > maxErrors)
        {
            return $"error rate {figures.TargetErrorRate:P1} over {figures.TargetRequests} requests exceeds the gate of {maxErrors:P1}";
        }
        if (MaxP99LatencyRatio is { } maxRatio && figures.P99LatencyRatio is { } ratio && ratio > maxRatio)
        {
            return $"p99 latency {figures.TargetP99Ms:F2} ms is {ratio:F2}× the baseline's {figures.BaselineP99Ms:F2} ms, above the gate of {maxRatio:F2}×";
        }
        if (MaxDriftScore is { } maxDrift && figures.DriftScore is { } drift && drift > maxDrift)
        {
            return $"output drift score (PSI vs baseline) {drift:F3} exceeds the gate of {maxDrift:F3}";
        }
        return null;
    }
}
