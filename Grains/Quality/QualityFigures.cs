using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Quality;

/// <summary>Derives a version's quality figures from its sums.</summary>
public static class QualityFigures
{
    /// <summary>The figures of <paramref name="summary"/> for a version whose quality config is <paramref name="config"/>.</summary>
    public static VersionQuality Of(string version, QualityConfig config, QualitySummary summary)
    {
        var n = summary.Labelled;
        var binary = config.Task == QualityTask.Classification && IsBinary(config, summary.Confusion);
        ImmutableArray<SegmentQuality> segments = [.. summary.Segments.Select(s => config.Task == QualityTask.Classification
            ? new SegmentQuality(s.Segment, s.Labelled, Ratio(s.Correct, s.Labelled), null,
                binary ? Ratio(s.PredictedPositive, s.Labelled) : null, binary ? Ratio(s.TruePositive, s.ActualPositive) : null)
            : new SegmentQuality(s.Segment, s.Labelled, null, Ratio(s.AbsoluteErrorSum, s.Labelled)))];
        if (config.Task == QualityTask.Regression)
        {
            return new VersionQuality(version, config.Task, n, null, [], [], null,
                Ratio(summary.AbsoluteErrorSum, n), n == 0 ? null : Math.Sqrt(summary.SquaredErrorSum / n), Ratio(summary.ErrorSum, n), segments);
        }
        var confusion = summary.Confusion;
        var correct = confusion.Where(c => c.Actual == c.Predicted).Sum(c => c.Count);
        return new VersionQuality(version, config.Task, n, Ratio(correct, n), Classes(config, confusion), confusion,
            CalibrationError(summary.Calibration), null, null, null, segments,
            Gap(segments.Select(s => s.PositiveRate)), Gap(segments.Select(s => s.TruePositiveRate)));
    }

    /// <summary>Two classes named in the config, or, with none named, no class seen but 0 and 1.</summary>
    private static bool IsBinary(QualityConfig config, ImmutableArray<ConfusionCell> confusion) =>
        !config.Classes.IsDefaultOrEmpty ? config.Classes.Length == 2 : confusion.All(c => c.Actual is 0 or 1 && c.Predicted is 0 or 1);

    /// <summary>The largest difference between two segments' rates; null with fewer than two segments that have the rate.</summary>
    private static double? Gap(IEnumerable<double?> rates)
    {
        var known = rates.OfType<double>().ToList();
        return known.Count < 2 ? null : known.Max() - known.Min();
    }

    private static ImmutableArray<ClassQuality> Classes(QualityConfig config, ImmutableArray<ConfusionCell> confusion)
    {
        var seen = confusion.Select(c => c.Actual).Concat(confusion.Select(c => c.Predicted)).Distinct().Order();
        return [.. seen.Select(k =>
        {
            var truePositives = confusion.Where(c => c.Actual == k && c.Predicted == k).Sum(c => c.Count);
            var predicted = confusion.Where(c => c.Predicted == k).Sum(c => c.Count);
            var support = confusion.Where(c => c.Actual == k).Sum(c => c.Count);
            var precision = Ratio(truePositives, predicted) ?? 0;
            var recall = Ratio(truePositives, support) ?? 0;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new ClassQuality(k, config.ClassName(k), support, precision, recall, f1);
        })];
    }

    private static double? CalibrationError(ImmutableArray<CalibrationBin> bins)
    {
        var total = bins.Sum(b => b.Count);
        if (total == 0) return null;
        return bins.Sum(b => (double)b.Count / total * Math.Abs((double)b.Correct / b.Count - b.ConfidenceSum / b.Count));
    }

    private static double? Ratio(double part, long whole) => whole == 0 ? null : part / whole;
}
