using Cluster.Rollouts;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class RolloutJudgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutGates Gates = new(MaxErrorRate: 0.05, MaxP99LatencyRatio: 2, MaxDriftScore: null, MinRequests: 20);

    private static RolloutInfo Running(int step) => new("r", "m",
        new RolloutPlan("2", "1", [new RolloutStep(10, TimeSpan.FromSeconds(30)), new RolloutStep(50, TimeSpan.FromSeconds(60))], Gates),
        "2", "1", RolloutPhase.Running, step, Start, null, []);

    private static RolloutFigures Healthy(long requests) => new(requests, 0.01, 5, 100, 5, 1.0, null);

    [Fact]
    public void AStepStaysUntilItsTimeIsUpAndItsRequestsAreEnough()
    {
        RolloutJudge.Decide(Running(0), true, Healthy(500), Start.AddSeconds(29)).Move.ShouldBe(RolloutMove.Stay);
        RolloutJudge.Decide(Running(0), true, Healthy(19), Start.AddSeconds(300)).Move.ShouldBe(RolloutMove.Stay, "19 requests are fewer than the minimum");

        var advance = RolloutJudge.Decide(Running(0), true, Healthy(20), Start.AddSeconds(30));

        advance.Move.ShouldBe(RolloutMove.Advance);
        advance.Step.ShouldBe(1);
        advance.Reason.ShouldContain("target weight 50");
    }

    [Fact]
    public void TheLastStepPromotes()
    {
        var decision = RolloutJudge.Decide(Running(1), true, Healthy(100), Start.AddSeconds(60));

        decision.Move.ShouldBe(RolloutMove.Promote);
        decision.Reason.ShouldContain("all 2 steps");
    }

    [Fact]
    public void AFailedGateOrATargetThatStoppedServingRollsBackAtOnce()
    {
        var failing = RolloutJudge.Decide(Running(1), true, Healthy(100) with { TargetErrorRate = 0.2 }, Start.AddSeconds(1));
        var slow = RolloutJudge.Decide(Running(0), true, Healthy(100) with { P99LatencyRatio = 3 }, Start.AddSeconds(1));
        var gone = RolloutJudge.Decide(Running(0), false, Healthy(0), Start);

        failing.Move.ShouldBe(RolloutMove.RollBack);
        failing.Reason.ShouldStartWith("step 2: error rate");
        slow.Move.ShouldBe(RolloutMove.RollBack);
        slow.Reason.ShouldContain("p99 latency");
        gone.Move.ShouldBe(RolloutMove.RollBack);
        gone.Reason.ShouldContain("stopped serving");
    }

    [Fact]
    public void GatesAreNotJudgedOnTooFewRequests()
    {
        RolloutJudge.Decide(Running(0), true, Healthy(19) with { TargetErrorRate = 1 }, Start.AddSeconds(1)).Move.ShouldBe(RolloutMove.Stay);
    }
}
