using System.Collections.Immutable;

namespace Cluster.Quality;

/// <summary>
/// Mergeable sums over a version's labelled predictions (added together, never averaged), from which every
/// quality figure is derived: what the ground-truth join pushes and what the quality statistics grain keeps.
/// </summary>
/// <param name="Labelled">Predictions that got a label.</param>
/// <param name="Confusion">Classification: non-empty cells of the confusion matrix.</param>
/// <param name="Calibration">Classification: non-empty confidence bins of predictions whose output was probabilities.</param>
/// <param name="AbsoluteErrorSum">Regression: Σ |predicted − true|.</param>
/// <param name="SquaredErrorSum">Regression: Σ (predicted − true)².</param>
/// <param name="ErrorSum">Regression: Σ (predicted − true).</param>
/// <param name="Segments">Per segment, for predictions whose request named one.</param>
[GenerateSerializer, Immutable, Alias("Cluster.QualitySummary")]
public sealed record QualitySummary(long Labelled, ImmutableArray<ConfusionCell> Confusion, ImmutableArray<CalibrationBin> Calibration,
    double AbsoluteErrorSum, double SquaredErrorSum, double ErrorSum, ImmutableArray<SegmentSummary> Segments)
{
    /// <summary>Nothing labelled.</summary>
    public static QualitySummary Empty { get; } = new(0, [], [], 0, 0, 0, []);
}
