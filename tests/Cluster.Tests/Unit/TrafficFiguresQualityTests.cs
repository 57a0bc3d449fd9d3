extern alias silo;
using System.Text.Json;
using Cluster.Models;
using Cluster.Quality;
using silo::Cluster.Silo.Traffic;
using Cluster.Statistics;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The traffic figures' per-arm quality as it goes on the wire: each arm's accuracy or MAE and, after the first, its difference with the 95 % interval.</summary>
public sealed class TrafficFiguresQualityTests
{
    private static JsonElement Arms((QualityTask, QualitySums[])? quality)
    {
        var body = TrafficFiguresEndpoints.Body("m", "total", [("1", 90), ("2", 10)], [StatsDelta.Empty, StatsDelta.Empty], [], null, quality);
        return JsonSerializer.SerializeToElement(body, TrafficJsonContext.Default.TrafficFiguresBody).GetProperty("arms");
    }

    [Fact]
    public void ClassifierArmsCarryAccuracyAndTheSecondItsIntervalAgainstTheFirst()
    {
        var arms = Arms((QualityTask.Classification, [new QualitySums(100, 90, 0, 0), new QualitySums(100, 80, 0, 0)]));

        var first = arms[0].GetProperty("quality");
        (first.GetProperty("labelled").GetInt64(), first.GetProperty("accuracy").GetDouble()).ShouldBe((100L, 0.9));
        first.TryGetProperty("vs_first_arm", out _).ShouldBeFalse();
        var second = arms[1].GetProperty("quality");
        second.GetProperty("accuracy").GetDouble().ShouldBe(0.8);
        var difference = second.GetProperty("vs_first_arm");
        difference.GetProperty("difference").GetDouble().ShouldBe(-0.1, 1e-12);
        difference.GetProperty("ci95_low").GetDouble().ShouldBe(-0.197998199227002712, 1e-12);
        difference.GetProperty("ci95_high").GetDouble().ShouldBe(-0.002001800772997288, 1e-12);
    }

    [Fact]
    public void RegressionArmsCarryMaeAndArmsWithoutAQualityConfigNothing()
    {
        var arms = Arms((QualityTask.Regression, [new QualitySums(3, 0, 6, 20), new QualitySums(4, 0, 10, 30)]));

        arms[0].GetProperty("quality").GetProperty("mae").GetDouble().ShouldBe(2);
        arms[1].GetProperty("quality").GetProperty("mae").GetDouble().ShouldBe(2.5);
        arms[1].GetProperty("quality").GetProperty("vs_first_arm").GetProperty("ci95_high").GetDouble().ShouldBe(4.542327954923026879, 1e-7);
        arms[1].GetProperty("quality").TryGetProperty("accuracy", out _).ShouldBeFalse();
        Arms(null)[0].TryGetProperty("quality", out _).ShouldBeFalse();
    }
}
