namespace Cluster.Quality;

/// <summary>
/// One segment's figures: accuracy for classification, mean absolute error for regression; for a binary
/// classifier also the positive rate (share predicted class 1) and true-positive rate (share of true class 1 predicted so).
/// </summary>
[GenerateSerializer, Immutable, Alias("Cluster.SegmentQuality")]
public sealed record SegmentQuality(string Segment, long Labelled, double? Accuracy, double? Mae, double? PositiveRate = null, double? TruePositiveRate = null);
