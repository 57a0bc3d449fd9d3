using Cluster.Models;
using Cluster.Quality;
using Cluster.Rollouts;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The rollout gate <c>min_accuracy_delta</c>: it waits for labels on each arm, then rolls back only when the canary is worse beyond the interval.</summary>
public sealed class RolloutAccuracyGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutGates Gates = new(null, null, null, MinRequests: 0, MinAccuracyDelta: -0.02, MinLabels: 100);

    private static RolloutInfo Running(int step) => new("r", "m",
        new RolloutPlan("2", "1", [new RolloutStep(10, TimeSpan.FromSeconds(30)), new RolloutStep(50, TimeSpan.FromSeconds(30))], Gates),
        "2", "1", RolloutPhase.Running, step, Start, null, []);

    /// <summary>Figures with the target's and baseline's labels: <paramref name="targetCorrect"/> of <paramref name="targetLabelled"/>, and so on.</summary>
    private static RolloutFigures Labelled(long targetCorrect, long targetLabelled, long baselineCorrect, long baselineLabelled) => RolloutJudge.WithQuality(
        new RolloutFigures(500, 0, 5, 500, 5, 1, null),
        new QualitySums(targetLabelled, targetCorrect, 0, 0),
        new QualitySums(baselineLabelled, baselineCorrect, 0, 0),
        QualityTask.Classification);

    [Fact]
    public void NoStepEndsUntilEachArmHasItsLabelsHoweverBadTheFewAre()
    {
        var fewTarget = Labelled(0, 99, 100, 100);
        var fewBaseline = Labelled(99, 99, 50, 99);

        RolloutJudge.Decide(Running(0), true, fewTarget, Start.AddSeconds(300)).Move.ShouldBe(RolloutMove.Stay, "99 target labels are one short; 0 % accuracy is not judged yet");
        RolloutJudge.Decide(Running(0), true, fewBaseline, Start.AddSeconds(300)).Move.ShouldBe(RolloutMove.Stay);
        RolloutJudge.Decide(Running(0), true, Labelled(90, 100, 90, 100), Start.AddSeconds(300)).Move.ShouldBe(RolloutMove.Advance);
    }

    [Fact]
    public void ACanaryWorseBeyondTheIntervalRollsBackNamingTheFigures()
    {
        // 75/100 against 90/100: difference −0.15, interval [−0.2532, −0.0468], whose upper end is below −0.02.
        var figures = Labelled(75, 100, 90, 100);

        var decision = RolloutJudge.Decide(Running(0), true, figures, Start.AddSeconds(1));

        figures.QualityDifference!.High.ShouldBe(-0.0467524904541219, 1e-12);
        decision.Move.ShouldBe(RolloutMove.RollBack);
        decision.Reason.ShouldContain("75.0");
        decision.Reason.ShouldContain("over 100 labels");
        decision.Reason.ShouldContain("difference -0.150");
        decision.Reason.ShouldContain("below the gate of -0.020");
    }

    [Fact]
    public void ACanaryWorseButNotBeyondTheMarginIsNotRolledBack()
    {
        // 80/100 against 90/100: worse for sure (interval [−0.198, −0.002]), but not surely by more than 2 points.
        var figures = Labelled(80, 100, 90, 100);

        figures.QualityDifference!.High.ShouldBe(-0.002001800772997288, 1e-12);
        RolloutJudge.Decide(Running(0), true, figures, Start.AddSeconds(1)).Move.ShouldBe(RolloutMove.Stay);
    }

    [Fact]
    public void ACanaryWhoseIntervalReachesTheGateAdvances()
    {
        // 85/100 against 90/100: difference −0.05 with interval [−0.141, +0.041]; not worse beyond doubt.
        var figures = Labelled(85, 100, 90, 100);

        figures.QualityDifference!.High.ShouldBeGreaterThan(-0.02);
        RolloutJudge.Decide(Running(1), true, figures, Start.AddSeconds(1)).Move.ShouldBe(RolloutMove.Stay, "the step's time is not up");
        RolloutJudge.Decide(Running(1), true, figures, Start.AddSeconds(30)).Move.ShouldBe(RolloutMove.Promote);
    }

    [Fact]
    public void WithoutTheGateLabelsNeitherWaitNorRollBack()
    {
        var plain = Running(0) with { Plan = Running(0).Plan with { Gates = Gates with { MinAccuracyDelta = null } } };

        RolloutJudge.Decide(plain, true, Labelled(0, 10, 10, 10), Start.AddSeconds(30)).Move.ShouldBe(RolloutMove.Advance);
    }

    [Fact]
    public void ThePlanRulesRefuseAnAccuracyGateOutOfRangeOrOnAModelWithoutClassification()
    {
        var plan = Running(0).Plan;
        Should.Throw<Cluster.Errors.InvalidInferenceRequestException>(() => RolloutPlanRules.Validate(plan with { Gates = Gates with { MinAccuracyDelta = -1.5 } }))
            .Message.ShouldContain("min_accuracy_delta");
        Should.Throw<Cluster.Errors.InvalidInferenceRequestException>(() => RolloutPlanRules.Validate(plan with { Gates = Gates with { MinLabels = 0 } }))
            .Message.ShouldContain("min_labels");
        var regression = new ModelVersionInfo("2", VersionStatus.Ready, null, null, null,
            new VersionRegistration("2", "", "", ModelConfig.Default with { Quality = new QualityConfig(QualityTask.Regression) }));
        Should.Throw<Cluster.Errors.InvalidInferenceRequestException>(() => RolloutPlanRules.ValidateFor(Gates, regression)).Message.ShouldContain("classification");
        var classifier = regression with { Registration = regression.Registration with { Config = ModelConfig.Default with { Quality = new QualityConfig(QualityTask.Classification) } } };
        RolloutPlanRules.ValidateFor(Gates, classifier);
    }
}
