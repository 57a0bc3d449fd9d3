using System.Collections.Immutable;

namespace Cluster.Cost;

/// <summary>Utilization, estimated cost and right-sizing advice of every version over a window.</summary>
/// <param name="Window">The window: <c>1h</c>, <c>24h</c> or <c>7d</c>.</param>
/// <param name="Versions">One entry per version that has a catalog entry, by model then version.</param>
/// <param name="Recommendations">Advice, largest estimated saving first.</param>
[GenerateSerializer, Immutable, Alias("Cluster.CostReport")]
public sealed record CostReport(string Window, ImmutableArray<VersionCost> Versions, ImmutableArray<CostRecommendation> Recommendations);
