using Cluster.Models;
using Cluster.Scaling;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class AutoscalePolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static AutoscalingConfig Settings(int min = 1, int max = 8, double target = 4, double up = 3, double down = 10, double idle = 60) =>
        new(min, max, target, up, down, idle);

    /// <summary>Feeds one load figure per second and returns every change the rule made, with the second it happened.</summary>
    private static List<(int Second, int Replicas)> Run(AutoscalingConfig settings, int replicas, IEnumerable<double> loadPerSecond)
    {
        var state = AutoscalerState.At(replicas);
        var changes = new List<(int, int)>();
        var second = 0;
        foreach (var load in loadPerSecond)
        {
            (state, var next, _) = AutoscalePolicy.Next(settings, state, load, Start.AddSeconds(second));
            if (next is { } n) changes.Add((second, n));
            second++;
        }
        return changes;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4, 1)]
    [InlineData(4.5, 2)]
    [InlineData(16, 4)]
    [InlineData(1000, 8)]
    public void DesiredIsLoadOverTargetWithinBounds(double load, int desired) =>
        AutoscalePolicy.Desired(Settings(), load).ShouldBe(desired);

    [Fact]
    public void SustainedLoadScalesUpAfterTheDelayOnly()
    {
        var changes = Run(Settings(up: 3), 1, Enumerable.Repeat(12.0, 10));

        changes.ShouldBe([(3, 3)], "12 ongoing at 4 per replica wants 3, and the delay is 3 s");
    }

    [Fact]
    public void ScaleUpGoesToTheLeastTheWindowAskedFor()
    {
        var changes = Run(Settings(up: 3), 1, [30, 12, 30, 30, 30]);

        changes.First().ShouldBe((3, 3), "a passing 30 must not buy 8 replicas when 12 was asked for in the same window");
    }

    [Fact]
    public void OscillatingLoadFasterThanTheDelaysNeverScales()
    {
        var load = Enumerable.Range(0, 600).Select(s => s % 4 < 2 ? 16.0 : 2.0);

        var changes = Run(Settings(up: 3, down: 10), 2, load);

        changes.ShouldBeEmpty("load crossing back and forth every 2 s resets both clocks");
    }

    [Fact]
    public void LoadThatDropsScalesDownAfterTheDownDelayToTheMostTheWindowNeeded()
    {
        var load = Enumerable.Repeat(4.0, 5).Concat(Enumerable.Repeat(9.0, 3)).Concat(Enumerable.Repeat(4.0, 20));

        var changes = Run(Settings(down: 10), 4, load);

        changes.ShouldBe([(10, 3), (21, 1)], "the window that saw 9 ongoing (3 replicas) ends at 3; the next full window of 4 ongoing ends at 1");
    }

    [Fact]
    public void StepLoadRisesAndFallsOnceEach()
    {
        var load = Enumerable.Repeat(2.0, 20).Concat(Enumerable.Repeat(14.0, 30)).Concat(Enumerable.Repeat(2.0, 40));

        var changes = Run(Settings(up: 3, down: 10), 1, load);

        changes.ShouldBe([(23, 4), (60, 1)]);
    }

    [Fact]
    public void IdleVersionScalesToZeroOnlyWithMinimumZero()
    {
        var idle = Enumerable.Repeat(0.0, 90).ToList();

        Run(Settings(min: 0, idle: 60), 1, idle).ShouldBe([(60, 0)]);
        Run(Settings(min: 1, idle: 60), 1, idle).ShouldBeEmpty();
    }

    [Fact]
    public void AnyRequestResetsTheIdleClock()
    {
        var load = Enumerable.Repeat(0.0, 50).Append(0.01).Concat(Enumerable.Repeat(0.0, 50));

        Run(Settings(min: 0, idle: 60), 1, load).ShouldBeEmpty();
    }

    [Fact]
    public void LoadAtZeroReplicasComesBackAtOnce()
    {
        var changes = Run(Settings(min: 0, up: 30), 0, [0, 0, 9]);

        changes.ShouldBe([(2, 3)], "a request waits: no upscale delay for a cold start");
    }

    [Fact]
    public void CountsOutsideTheBoundsAreBroughtInside()
    {
        Run(Settings(min: 2, max: 4), 1, [8]).ShouldBe([(0, 2)]);
        Run(Settings(min: 1, max: 4), 6, [8]).ShouldBe([(0, 4)]);
    }

    [Fact]
    public void InitialAndColdStartCountsRespectTheBounds()
    {
        Settings(min: 0, max: 4).Initial(1).ShouldBe(1);
        Settings(min: 0, max: 4).ColdStart.ShouldBe(1);
        Settings(min: 2, max: 4).Initial(1).ShouldBe(2);
        Settings(min: 2, max: 4).Initial(9).ShouldBe(4);
    }
}
