using Cluster.Models;

namespace Cluster.Scaling;

/// <summary>
/// Puts a forecast on top of the reactive decision: the replica count is the larger of what the reactive rule decided (or
/// keeps) and what the forecast load asks for, so prediction only ever adds capacity ahead of a peak or holds it there, never
/// goes below the reactive decision, and never above <see cref="AutoscalingConfig.MaxReplicas"/>.
/// </summary>
public static class PredictiveScaling
{
    /// <summary>How far past the measured time to add a replica the forecast looks, so replicas are serving before the peak.</summary>
    public static TimeSpan Margin { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The look-ahead: the version's measured time to bring replicas up, plus the margin.</summary>
    public static TimeSpan LookAhead(TimeSpan measuredStart) => measuredStart + Margin;

    /// <summary>
    /// The count to go to and why, given the current count, the reactive rule's change (null: keep the current count) and the
    /// forecast; <c>Predictive</c> is true when the forecast decided it. Null count: no change.
    /// </summary>
    public static (int? Replicas, string? Reason, bool Predictive) Combine(AutoscalingConfig settings, int current, int? reactive, string? reactiveReason, LoadForecast? forecast, TimeSpan lookAhead)
    {
        var floor = reactive ?? current;
        if (!settings.Predictive || forecast is null || forecast.Load <= 0) return (reactive, reactiveReason, false);
        var predicted = AutoscalePolicy.Desired(settings, forecast.Load);
        if (predicted <= floor) return (reactive, reactiveReason, false);
        if (predicted == current) return (null, null, false);
        return (predicted, $"predictive: forecast load {forecast.Load:F1} within the next {lookAhead.TotalSeconds:F0} s (same time on {forecast.Days} previous day(s)) asks for {predicted} replicas", true);
    }
}
