using Cluster.Models;
using Cluster.Quality;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>Quality figures from known predictions and labels: exact values, and sums that merge like the predictions they came from.</summary>
public sealed class QualityFiguresTests
{
    private static readonly QualityConfig Animals = new(QualityTask.Classification, Classes: ["cat", "dog", "fish"]);

    [Fact]
    public void ClassificationFiguresAreAccuracyPerClassPrecisionRecallF1TheConfusionMatrixAndCalibration()
    {
        var tally = new QualityTally();
        tally.AddClass(predicted: 0, actual: 0, confidence: 0.75f, segment: "eu");   // right, 75 % sure
        tally.AddClass(predicted: 1, actual: 0, confidence: 0.75f, segment: "eu");   // wrong, 75 % sure
        tally.AddClass(predicted: 2, actual: 2, confidence: 0.5f, segment: "us");    // right, 50 % sure
        tally.AddClass(predicted: 0, actual: 1, confidence: float.NaN, segment: null); // wrong, logits: no calibration

        var quality = QualityFigures.Of("3", Animals, tally.ToSummary());

        (quality.Version, quality.Task, quality.Labelled, quality.Accuracy).ShouldBe(("3", QualityTask.Classification, 4L, 0.5));
        quality.Confusion.ShouldBe([new(0, 0, 1), new(0, 1, 1), new(1, 0, 1), new(2, 2, 1)]);
        var (cat, dog, fish) = (quality.Classes[0], quality.Classes[1], quality.Classes[2]);
        (cat.Name, cat.Support, cat.Precision, cat.Recall, cat.F1).ShouldBe(("cat", 2L, 0.5, 0.5, 0.5));
        (dog.Name, dog.Support, dog.Precision, dog.Recall, dog.F1).ShouldBe(("dog", 1L, 0.0, 0.0, 0.0));
        (fish.Name, fish.Support, fish.Precision, fish.Recall, fish.F1).ShouldBe(("fish", 1L, 1.0, 1.0, 1.0));
        // Bin 7 holds two at 0.75 with one right (|0.5 - 0.75| = 0.25), bin 5 one at 0.5, right (0.5): (2·0.25 + 1·0.5) / 3.
        quality.ExpectedCalibrationError!.Value.ShouldBe(1.0 / 3, 1e-12);
        quality.Segments.ShouldBe([new SegmentQuality("eu", 2, 0.5, null), new SegmentQuality("us", 1, 1.0, null)]);
        (quality.Mae, quality.Rmse, quality.MeanError).ShouldBe((null, null, null));
    }

    [Fact]
    public void RegressionFiguresAreMeanAbsoluteRootMeanSquaredAndMeanErrorOfPredictedMinusTrue()
    {
        var tally = new QualityTally();
        tally.AddValue(predicted: 2, actual: 1.5, segment: "a");  // +0.5
        tally.AddValue(predicted: -2, actual: -1, segment: "a");  // -1
        tally.AddValue(predicted: 6, actual: 6, segment: "b");    // 0
        tally.AddValue(predicted: 4, actual: 5, segment: null);   // -1

        var quality = QualityFigures.Of("1", new QualityConfig(QualityTask.Regression), tally.ToSummary());

        quality.Labelled.ShouldBe(4);
        quality.Mae!.Value.ShouldBe(2.5 / 4, 1e-12);
        quality.Rmse!.Value.ShouldBe(Math.Sqrt(2.25 / 4), 1e-12);
        quality.MeanError!.Value.ShouldBe(-1.5 / 4, 1e-12);
        (quality.Accuracy, quality.ExpectedCalibrationError, quality.Classes.IsEmpty, quality.Confusion.IsEmpty).ShouldBe((null, null, true, true));
        quality.Segments.ShouldBe([new SegmentQuality("a", 2, null, 0.75), new SegmentQuality("b", 1, null, 0.0)]);
    }

    [Fact]
    public void SummariesOfTwoSilosMergeIntoTheSummaryOfAllTheirPredictions()
    {
        var (first, second, all) = (new QualityTally(), new QualityTally(), new QualityTally());
        foreach (var (p, a, c, s, into) in new[] { (0, 0, 0.9f, "eu", first), (1, 0, 0.6f, "us", first), (1, 1, 0.95f, "eu", second), (2, 1, 0.4f, "us", second) })
        {
            into.AddClass(p, a, c, s);
            all.AddClass(p, a, c, s);
        }

        var merged = new QualityTally();
        merged.Add(first.ToSummary());
        merged.Add(second.ToSummary());

        QualityFigures.Of("1", Animals, merged.ToSummary()).ShouldBeEquivalentTo(QualityFigures.Of("1", Animals, all.ToSummary()));
    }

    [Fact]
    public void NothingLabelledHasNoFigures()
    {
        var quality = QualityFigures.Of("1", Animals, QualitySummary.Empty);

        (quality.Labelled, quality.Accuracy, quality.ExpectedCalibrationError, quality.Classes.IsEmpty).ShouldBe((0L, null, null, true));
    }
}
