using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Quality;

/// <summary>How right one version's labelled predictions were. Classification fills the first group, regression the second; the rest are null or empty.</summary>
/// <param name="Version">The version.</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="Labelled">Predictions that got a label.</param>
/// <param name="Accuracy">Share of labelled predictions whose class was right.</param>
/// <param name="Classes">Per class seen (predicted or true), precision, recall and F1.</param>
/// <param name="Confusion">Non-empty cells of the confusion matrix (true class × predicted class).</param>
/// <param name="ExpectedCalibrationError">Σ over ten confidence bins of (bin share) × |accuracy − mean confidence|; null unless outputs were probabilities.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="MeanError">Mean of (predicted − true): positive when the model overestimates.</param>
/// <param name="Segments">The same, per segment.</param>
/// <param name="PositiveRateDisparity">A binary classifier's largest difference in positive rate between two segments (demographic parity gap).</param>
/// <param name="TruePositiveRateDisparity">Its largest difference in true-positive rate between two segments (equal opportunity gap).</param>
[GenerateSerializer, Immutable, Alias("Cluster.VersionQuality")]
public sealed record VersionQuality(string Version, QualityTask Task, long Labelled,
    double? Accuracy, ImmutableArray<ClassQuality> Classes, ImmutableArray<ConfusionCell> Confusion, double? ExpectedCalibrationError,
    double? Mae, double? Rmse, double? MeanError, ImmutableArray<SegmentQuality> Segments,
    double? PositiveRateDisparity = null, double? TruePositiveRateDisparity = null)
{
    /// <summary>The larger of the two disparities: what <c>alerts.max_disparity</c> is judged against.</summary>
    public double? Disparity => PositiveRateDisparity is null && TruePositiveRateDisparity is null
        ? null
        : Math.Max(PositiveRateDisparity ?? 0, TruePositiveRateDisparity ?? 0);
}
