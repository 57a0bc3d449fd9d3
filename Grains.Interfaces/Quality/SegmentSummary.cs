namespace Cluster.Quality;

/// <summary>
/// Labelled predictions of one segment: the sums the segment's accuracy or mean absolute error come from,
/// and for bias, how often class 1 (the positive class of a binary classifier) was predicted, was true, and both.
/// </summary>
[GenerateSerializer, Immutable, Alias("Cluster.SegmentSummary")]
public sealed record SegmentSummary(string Segment, long Labelled, long Correct, double AbsoluteErrorSum,
    long PredictedPositive = 0, long ActualPositive = 0, long TruePositive = 0);
