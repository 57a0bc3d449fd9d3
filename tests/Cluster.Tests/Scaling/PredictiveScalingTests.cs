using Cluster.Models;
using Cluster.Scaling;
using Shouldly;

namespace Cluster.Tests.Scaling;

/// <summary>
/// Predictive scaling: the seasonal-naive forecast, how it combines with the reactive rule, and three simulated days with a
/// recurring 09:00 peak on a fake clock, with and without prediction.
/// </summary>
public sealed class PredictiveScalingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly AutoscalingConfig Reactive = new(MinReplicas: 1, MaxReplicas: 8, TargetQueuePerReplica: 1, UpscaleDelaySeconds: 3, DownscaleDelaySeconds: 30, IdleSecondsBeforeZero: 300);
    private static readonly AutoscalingConfig Predictive = Reactive with { Predictive = true };

    private static List<LoadMinute> History(params (DateTimeOffset At, double Load)[] minutes) =>
        [.. minutes.Select(m => new LoadMinute(LoadHistory.Minute(m.At), m.Load * 60, 60)).OrderBy(m => m.Minute)];

    [Fact]
    public void TheForecastIsTheMeanOfTheSameMinuteOnPreviousDaysAtItsHighestWithinTheLookAhead()
    {
        var nine = Monday.AddHours(9);
        var history = History((nine.AddMinutes(-1), 1), (nine, 6), (nine.AddDays(1), 10), (nine.AddDays(1).AddMinutes(5), 50));
        var now = nine.AddDays(2).AddMinutes(-1);

        var forecast = SeasonalForecast.Peak(history, now, TimeSpan.FromSeconds(90)).ShouldNotBeNull();

        forecast.Load.ShouldBe(8, "(6 + 10) / 2 at 09:00; 09:05 lies past the look-ahead");
        forecast.Days.ShouldBe(2);
        SeasonalForecast.Peak(history, now.AddHours(3), TimeSpan.FromMinutes(2)).ShouldBeNull("no previous day has load at noon");
        SeasonalForecast.Peak([], now, TimeSpan.FromMinutes(2)).ShouldBeNull();
    }

    [Fact]
    public void PredictionAddsReplicasOrHoldsThemButNeverGoesBelowTheReactiveDecisionNorAboveTheMaximum()
    {
        var lookAhead = TimeSpan.FromMinutes(2);
        var high = new LoadForecast(5.5, 2);

        PredictiveScaling.Combine(Predictive, current: 2, reactive: null, null, high, lookAhead).ShouldBe((6, PredictiveScaling.Combine(Predictive, 2, null, null, high, lookAhead).Reason, true));
        PredictiveScaling.Combine(Predictive, 2, null, null, high, lookAhead).Reason.ShouldNotBeNull().ShouldContain("forecast load 5.5");
        PredictiveScaling.Combine(Predictive, current: 6, reactive: 2, "slack", high, lookAhead).ShouldBe((null, null, false), "the forecast holds the replicas the reactive rule would remove");
        PredictiveScaling.Combine(Predictive, current: 2, reactive: 7, "load", high, lookAhead).ShouldBe((7, "load", false), "never below the reactive decision");
        PredictiveScaling.Combine(Predictive, current: 2, reactive: null, null, new LoadForecast(500, 1), lookAhead).Replicas.ShouldBe(Predictive.MaxReplicas);
        PredictiveScaling.Combine(Reactive, current: 2, reactive: null, null, high, lookAhead).ShouldBe((null, null, false), "prediction is off unless configured");
        PredictiveScaling.Combine(Predictive, current: 2, reactive: 1, "slack", null, lookAhead).ShouldBe((1, "slack", false), "without a forecast the reactive rule stands");
    }

    [Fact]
    public void ByTheThirdDayReplicasAreUpBeforeTheRecurringPeakAndItsFirstRequestsBarelyWait()
    {
        var withPrediction = Run(Predictive);
        var without = Run(Reactive);

        var figures = $"day 3, 08:59:55: ready replicas {withPrediction.ReadyBeforePeak} with prediction, {without.ReadyBeforePeak} without; " +
            $"first 5 minutes of the peak: mean queue wait {withPrediction.MeanWait:F3} s with prediction, {without.MeanWait:F3} s without; worst {withPrediction.WorstWait:F3} s vs {without.WorstWait:F3} s";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "predictive-scaling-figures.txt"), figures);

        withPrediction.ReadyBeforePeak.ShouldBeGreaterThanOrEqualTo(4, "the peak of 40 requests a second needs four replicas of 10");
        without.ReadyBeforePeak.ShouldBe(1);
        withPrediction.MeanWait.ShouldBeLessThan(without.MeanWait / 10);
        withPrediction.WorstWait.ShouldBeLessThan(1);
        without.WorstWait.ShouldBeGreaterThan(10, "one replica meets the peak and new ones take a minute to load");
        withPrediction.Violations.ShouldBeEmpty();
        var ahead = withPrediction.Day3Decisions.Where(d => d.Predictive && d.At < Monday.AddDays(2).AddHours(9)).ShouldHaveSingleItem();
        ahead.Forecast.ShouldNotBeNull().ShouldBeGreaterThan(4);
        ahead.Reason.ShouldContain("predictive");
        without.Day3Decisions.ShouldAllBe(d => !d.Predictive && d.Forecast == null);
    }

    private sealed record Outcome(int ReadyBeforePeak, double MeanWait, double WorstWait, List<string> Violations, List<ScaleDecision> Day3Decisions);

    /// <summary>Three days of 2 requests a second, 40 from 09:00 to 10:00, in 5-second steps; replicas take a minute to load.</summary>
    private static Outcome Run(AutoscalingConfig settings)
    {
        var step = TimeSpan.FromSeconds(5);
        var simulation = new ScalingSimulation(settings, replicaStart: TimeSpan.FromMinutes(1));
        var peak = Monday.AddDays(2).AddHours(9);
        var ready = 0;
        var waits = new List<double>();
        while (simulation.Clock.GetUtcNow() < Monday.AddDays(3))
        {
            var now = simulation.Clock.GetUtcNow();
            var hour = now.TimeOfDay.TotalHours;
            if (now == peak - step) ready = simulation.Ready;
            var wait = simulation.Step(step, hour is >= 9 and < 10 ? 40 : 2);
            if (now >= peak && now < peak.AddMinutes(5)) waits.Add(wait);
        }
        return new Outcome(ready, waits.Average(), waits.Max(), simulation.Violations, [.. simulation.Decisions.Where(d => d.At >= Monday.AddDays(2))]);
    }
}
