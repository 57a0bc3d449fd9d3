using Cluster.Models;
using Cluster.Quality;
using Cluster.Repository;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>Bias figures of a binary classifier from known predictions and labels: per segment positive and true-positive rates, and the gaps between segments.</summary>
public sealed class BiasFiguresTests
{
    private static readonly QualityConfig Approvals = new(QualityTask.Classification, Classes: ["declined", "approved"], Segment: "region");

    [Fact]
    public void EachSegmentHasItsPositiveRateAndTruePositiveRateAndTheVersionTheLargestGaps()
    {
        var tally = new QualityTally();
        // north: predicted approved 2 of 4 (0.5); of the 2 truly approved, 1 predicted so (0.5).
        foreach (var (predicted, actual) in new[] { (1, 1), (1, 0), (0, 1), (0, 0) }) tally.AddClass(predicted, actual, float.NaN, "north");
        // south: predicted approved 3 of 4 (0.75); of the 2 truly approved, both (1.0).
        foreach (var (predicted, actual) in new[] { (1, 1), (1, 1), (1, 0), (0, 0) }) tally.AddClass(predicted, actual, float.NaN, "south");
        // west: predicted approved 1 of 2 (0.5), none truly approved: no true-positive rate.
        foreach (var (predicted, actual) in new[] { (1, 0), (0, 0) }) tally.AddClass(predicted, actual, float.NaN, "west");

        var quality = QualityFigures.Of("1", Approvals, tally.ToSummary());

        quality.Segments.Select(s => (s.Segment, s.PositiveRate, s.TruePositiveRate)).ShouldBe(
            [("north", (double?)0.5, (double?)0.5), ("south", 0.75, 1.0), ("west", 0.5, null)]);
        quality.PositiveRateDisparity.ShouldBe(0.25);
        quality.TruePositiveRateDisparity.ShouldBe(0.5);
        quality.Disparity.ShouldBe(0.5);
    }

    [Fact]
    public void SegmentSumsMergeAcrossSilosIntoTheSameFigures()
    {
        var one = new QualityTally();
        var other = new QualityTally();
        var all = new QualityTally();
        var predictions = new[] { (1, 1, "a"), (0, 1, "a"), (1, 0, "b"), (1, 1, "b"), (0, 0, "b"), (1, 1, "a") };
        for (var i = 0; i < predictions.Length; i++)
        {
            var (predicted, actual, segment) = predictions[i];
            (i % 2 == 0 ? one : other).AddClass(predicted, actual, float.NaN, segment);
            all.AddClass(predicted, actual, float.NaN, segment);
        }
        var merged = new QualityTally();
        merged.Add(one.ToSummary());
        merged.Add(other.ToSummary());

        merged.ToSummary().Segments.ShouldBe(all.ToSummary().Segments);
        QualityFigures.Of("1", Approvals, merged.ToSummary()).Segments.ShouldBe(QualityFigures.Of("1", Approvals, all.ToSummary()).Segments);
    }

    [Fact]
    public void OnlyABinaryClassifierWithTwoSegmentsHasGaps()
    {
        var threeClasses = new QualityTally();
        threeClasses.AddClass(1, 1, float.NaN, "a");
        threeClasses.AddClass(2, 1, float.NaN, "b");
        var multi = QualityFigures.Of("1", Approvals with { Classes = ["low", "mid", "high"] }, threeClasses.ToSummary());
        multi.Segments.ShouldAllBe(s => s.PositiveRate == null && s.TruePositiveRate == null);
        multi.Disparity.ShouldBeNull();

        var oneSegment = new QualityTally();
        oneSegment.AddClass(1, 1, float.NaN, "a");
        oneSegment.AddClass(0, 1, float.NaN, null);
        var single = QualityFigures.Of("1", Approvals with { Classes = [] }, oneSegment.ToSummary());
        single.Segments.Single().PositiveRate.ShouldBe(1.0, "no classes named, but only 0 and 1 seen: binary");
        single.PositiveRateDisparity.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"quality": {"task": "regression"}, "alerts": {"max_disparity": 0.1}}""", "needs a \"quality\" block with \"task\": \"classification\"")]
    [InlineData("""{"quality": {"task": "classification"}, "alerts": {"max_disparity": 1.5}}""", "between 0 and 1")]
    public void TheDisparityAlertNeedsAClassifierAndAShare(string json, string problem) =>
        Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json)).Message.ShouldContain(problem);

    [Fact]
    public void TheDisparityAlertIsRead() =>
        ModelConfigFile.Parse("""{"quality": {"task": "classification"}, "alerts": {"max_disparity": 0.2}}""").Monitoring!.MaxDisparity.ShouldBe(0.2);
}
