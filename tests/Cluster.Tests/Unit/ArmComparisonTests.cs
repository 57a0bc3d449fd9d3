using Cluster.Models;
using Cluster.Quality;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>Arm differences and their 95 % intervals, against values worked out by hand (quantiles from mpmath to 20 digits).</summary>
public sealed class ArmComparisonTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void AccuracyDifferenceIsTheTwoProportionNormalInterval()
    {
        // p1 = 0.8, p2 = 0.9, n = 100 each: se = √(0.16/100 + 0.09/100) = 0.05; z = 1.959963984540054.
        var interval = ArmComparison.AccuracyDifference(80, 100, 90, 100)!;

        interval.Difference.ShouldBe(-0.1, Tolerance);
        interval.Low.ShouldBe(-0.197998199227002712, Tolerance);
        interval.High.ShouldBe(-0.002001800772997288, Tolerance);
    }

    [Fact]
    public void AccuracyDifferenceWeighsEachArmByItsOwnCount()
    {
        // p1 = 45/50 = 0.9, p2 = 170/200 = 0.85: se = √(0.09/50 + 0.1275/200).
        var interval = ArmComparison.AccuracyDifference(45, 50, 170, 200)!;

        interval.Difference.ShouldBe(0.05, Tolerance);
        interval.Low.ShouldBe(-0.046765468403981449, Tolerance);
        interval.High.ShouldBe(0.146765468403981449, Tolerance);
    }

    [Fact]
    public void MaeDifferenceIsWelchsIntervalWithSatterthwaiteDegreesOfFreedom()
    {
        // Absolute errors {1, 2, 3, 4} (mean 2.5, s² = 5/3) against {0, 2, 4} (mean 2, s² = 4):
        // ν = 1.75² / ((5/12)²/3 + (4/3)²/2) = 3.234718826; t(ν, 0.975) = 3.055712710; se = √1.75.
        var arm = new QualitySums(4, 0, 10, 30);
        var reference = new QualitySums(3, 0, 6, 20);

        var interval = ArmComparison.MaeDifference(arm, reference)!;

        interval.Difference.ShouldBe(0.5, Tolerance);
        interval.Low.ShouldBe(-3.542327954923026879, 1e-7);
        interval.High.ShouldBe(4.542327954923026879, 1e-7);
    }

    [Fact]
    public void WithOneArmWithoutSpreadTheDegreesOfFreedomAreTheOtherArmsCountLessOne()
    {
        // {1, 2, 3, 4} against {1, 1, 1, 1}: ν = 3 exactly, t(3, 0.975) = 3.182446305283710, se = √(5/12).
        var interval = ArmComparison.MaeDifference(new QualitySums(4, 0, 10, 30), new QualitySums(4, 0, 4, 4))!;

        interval.Difference.ShouldBe(1.5, Tolerance);
        var half = 3.182446305283709593 * Math.Sqrt(5.0 / 12);
        interval.Low.ShouldBe(1.5 - half, 1e-9);
        interval.High.ShouldBe(1.5 + half, 1e-9);
    }

    [Fact]
    public void TooFewLabelsGiveNoInterval()
    {
        ArmComparison.AccuracyDifference(0, 0, 5, 10).ShouldBeNull();
        ArmComparison.MaeDifference(new QualitySums(1, 0, 1, 1), new QualitySums(5, 0, 5, 5)).ShouldBeNull("one error has no variance");
        var exact = ArmComparison.MaeDifference(new QualitySums(2, 0, 2, 2), new QualitySums(2, 0, 4, 8))!;
        (exact.Difference, exact.Low, exact.High).ShouldBe((-1.0, -1.0, -1.0), "no spread in either arm: the difference is exact");
    }

    [Fact]
    public void SumsComeFromTheConfusionDiagonalAndSubtract()
    {
        var summary = QualitySummary.Empty with
        {
            Labelled = 10,
            Confusion = [new ConfusionCell(0, 0, 4), new ConfusionCell(0, 1, 2), new ConfusionCell(1, 1, 3), new ConfusionCell(1, 0, 1)],
        };

        var sums = QualitySums.Of(summary);

        (sums.Labelled, sums.Correct).ShouldBe((10L, 7L));
        sums.Minus(new QualitySums(4, 3, 0, 0)).ShouldBe(new QualitySums(6, 4, 0, 0));
        ArmComparison.Of(sums, QualityTask.Classification).ShouldBe(new ArmQuality(10, 0.7, null));
        ArmComparison.Of(new QualitySums(4, 0, 10, 30), QualityTask.Regression).ShouldBe(new ArmQuality(4, null, 2.5));
        ArmComparison.Of(QualitySums.Empty, QualityTask.Regression).ShouldBe(new ArmQuality(0, null, null));
    }
}
