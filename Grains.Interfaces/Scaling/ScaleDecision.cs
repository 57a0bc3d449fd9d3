namespace Cluster.Scaling;

/// <summary>A change of a version's replica count and what led to it.</summary>
/// <param name="At">When it was decided.</param>
/// <param name="From">Replicas before.</param>
/// <param name="To">Replicas after.</param>
/// <param name="Load">Ongoing requests over the cluster when it was decided.</param>
/// <param name="Reason">Why, in words (e.g. "load 12.0 wants 3 for 3 s").</param>
[GenerateSerializer, Immutable, Alias("Cluster.ScaleDecision")]
public sealed record ScaleDecision(DateTimeOffset At, int From, int To, double Load, string Reason);
