namespace Cluster.Quality;

/// <summary>Adds labelled predictions, or summaries of them, into one <see cref="QualitySummary"/>.</summary>
public sealed class QualityTally
{
    private const int Bins = 10;
    private readonly Dictionary<(int Actual, int Predicted), long> _confusion = [];
    private readonly Dictionary<int, (long Count, double ConfidenceSum, long Correct)> _calibration = [];
    private readonly Dictionary<string, SegmentSummary> _segments = new(StringComparer.Ordinal);
    private long _labelled;
    private double _absoluteErrorSum;
    private double _squaredErrorSum;
    private double _errorSum;

    /// <summary>Labelled predictions added so far.</summary>
    public long Labelled => _labelled;

    /// <summary>Adds a labelled class prediction; <paramref name="confidence"/> is NaN when the output was not probabilities.</summary>
    public void AddClass(int predicted, int actual, float confidence, string? segment)
    {
        _labelled++;
        var correct = predicted == actual ? 1 : 0;
        AddCell(actual, predicted, 1);
        if (!float.IsNaN(confidence)) AddBin(Math.Clamp((int)(confidence * Bins), 0, Bins - 1), 1, confidence, correct);
        // Class 1 is the positive class of a binary classifier; the figures use these counts only for one.
        if (segment is not null) AddSegment(new SegmentSummary(segment, 1, correct, 0, predicted == 1 ? 1 : 0, actual == 1 ? 1 : 0, predicted == 1 && actual == 1 ? 1 : 0));
    }

    /// <summary>Adds a labelled value prediction.</summary>
    public void AddValue(double predicted, double actual, string? segment)
    {
        _labelled++;
        var error = predicted - actual;
        _absoluteErrorSum += Math.Abs(error);
        _squaredErrorSum += error * error;
        _errorSum += error;
        if (segment is not null) AddSegment(new SegmentSummary(segment, 1, 0, Math.Abs(error)));
    }

    /// <summary>Adds a summary (another silo's join, or a stored total).</summary>
    public void Add(QualitySummary summary)
    {
        _labelled += summary.Labelled;
        _absoluteErrorSum += summary.AbsoluteErrorSum;
        _squaredErrorSum += summary.SquaredErrorSum;
        _errorSum += summary.ErrorSum;
        foreach (var cell in summary.Confusion) AddCell(cell.Actual, cell.Predicted, cell.Count);
        foreach (var bin in summary.Calibration) AddBin(bin.Bin, bin.Count, bin.ConfidenceSum, bin.Correct);
        foreach (var segment in summary.Segments) AddSegment(segment);
    }

    /// <summary>The sums, cells and bins in a fixed order.</summary>
    public QualitySummary ToSummary() => new(
        _labelled,
        [.. _confusion.OrderBy(c => c.Key.Actual).ThenBy(c => c.Key.Predicted).Select(c => new ConfusionCell(c.Key.Actual, c.Key.Predicted, c.Value))],
        [.. _calibration.OrderBy(b => b.Key).Select(b => new CalibrationBin(b.Key, b.Value.Count, b.Value.ConfidenceSum, b.Value.Correct))],
        _absoluteErrorSum,
        _squaredErrorSum,
        _errorSum,
        [.. _segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value)]);

    private void AddCell(int actual, int predicted, long count) =>
        _confusion[(actual, predicted)] = _confusion.GetValueOrDefault((actual, predicted)) + count;

    private void AddBin(int bin, long count, double confidenceSum, long correct)
    {
        var (c, s, k) = _calibration.GetValueOrDefault(bin);
        _calibration[bin] = (c + count, s + confidenceSum, k + correct);
    }

    private void AddSegment(SegmentSummary add)
    {
        _segments[add.Segment] = _segments.TryGetValue(add.Segment, out var sum)
            ? new SegmentSummary(add.Segment, sum.Labelled + add.Labelled, sum.Correct + add.Correct, sum.AbsoluteErrorSum + add.AbsoluteErrorSum,
                sum.PredictedPositive + add.PredictedPositive, sum.ActualPositive + add.ActualPositive, sum.TruePositive + add.TruePositive)
            : add;
    }
}
