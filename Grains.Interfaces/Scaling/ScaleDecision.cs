namespace Cluster.Scaling;

/// <summary>A change of a version's replica count and what led to it.</summary>
/// <param name="At">When it was decided.</param>
/// <param name="From">Replicas before.</param>
/// <param name="To">Replicas after.</param>
/// <param name="Load">Ongoing requests over the cluster when it was decided.</param>
/// <param name="Reason">Why, in words (e.g. "load 12.0 wants 3 for 3 s").</param>
/// <param name="Predictive">True when the forecast, not the load now, decided the count.</param>
/// <param name="Forecast">The forecast load it used (the highest expected within the look-ahead); null when none was made.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ScaleDecision")]
public sealed record ScaleDecision(DateTimeOffset At, int From, int To, double Load, string Reason, bool Predictive = false, double? Forecast = null);
