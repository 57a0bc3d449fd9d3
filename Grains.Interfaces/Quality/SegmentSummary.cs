namespace Cluster.Quality;

/// <summary>Labelled predictions of one segment: the sums the segment's accuracy or mean absolute error come from.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.SegmentSummary")]
public sealed record SegmentSummary(string Segment, long Labelled, long Correct, double AbsoluteErrorSum);
