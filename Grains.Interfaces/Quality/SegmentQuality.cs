namespace Cluster.Quality;

/// <summary>One segment's figures: accuracy for classification, mean absolute error for regression.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.SegmentQuality")]
public sealed record SegmentQuality(string Segment, long Labelled, double? Accuracy, double? Mae);
