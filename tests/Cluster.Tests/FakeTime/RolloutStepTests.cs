using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Rollouts;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>Rollouts on the fake clock: the one-second grain timer judges gates and moves steps as fake time passes.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class RolloutStepTests(FakeTimeClusterFixture fixture)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StepTime = TimeSpan.FromSeconds(10);

    /// <summary>Version 1 takes all traffic; version 2 (<paramref name="canary"/>) takes none until a rollout gives it some.</summary>
    private async Task<string> ModelWithCanary(byte[] canary)
    {
        var model = FakeTimeClusterFixture.Unique("rollout");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f));
        await fixture.Grains.GetGrain<IModelGrain>(model).SetTraffic(TrafficPolicy(("1", 100)));
        await fixture.Upload(model, "2", canary);
        return model;
    }

    private static TrafficPolicy TrafficPolicy(params (string Version, double Weight)[] weights) =>
        new(weights.ToImmutableDictionary(w => w.Version, w => w.Weight), Sticky: false);

    private async Task<TrafficPolicy> Traffic(string model) => (await fixture.Grains.GetGrain<IModelGrain>(model).GetInfo()).Traffic.ShouldNotBeNull();

    private async Task<(string, double)[]> Weights(string model) => [.. (await Traffic(model)).Weights.Select(w => (w.Key, w.Value)).Order()];

    private IRolloutGrain Rollout(string model) => fixture.Grains.GetGrain<IRolloutGrain>(model);

    /// <summary>Requests naming each version, so that both have figures in the current step.</summary>
    private async Task Serve(string model, int each)
    {
        for (var i = 0; i < each; i++)
        {
            await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, i, 1), "1");
            try
            {
                await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, i, 1), "2");
            }
            catch (Errors.InferenceFailedException)
            {
                // A failing canary's errors are what its gate judges.
            }
        }
    }

    [Fact]
    public async Task AHealthyRolloutAdvancesAndPromotesAsTheClockPassesEachStep()
    {
        var model = await ModelWithCanary(FakeModelRuntime.Scale(2f));
        var plan = new RolloutPlan("2", null, [new RolloutStep(20, StepTime), new RolloutStep(60, StepTime)], new RolloutGates(0.01, null, null, MinRequests: 3));

        var started = await Rollout(model).Start(plan);
        (await Weights(model)).ShouldBe([("1", 80.0), ("2", 20.0)]);
        await Serve(model, each: 5);
        await Advance(StepTime - Tick, model);
        (await Rollout(model).GetCurrent())!.Step.ShouldBe(0, "the first step lasts its duration");

        await fixture.Clock.AdvanceUntil(async () => (await Rollout(model).GetCurrent())!.Step == 1, Tick, StepTime, "advancing to step 2");
        var advanced = (await Rollout(model).GetCurrent())!;
        (await Weights(model)).ShouldBe([("1", 40.0), ("2", 60.0)]);
        await Serve(model, each: 5);
        await fixture.Clock.AdvanceUntil(async () => (await Rollout(model).GetCurrent())!.Phase == RolloutPhase.Promoted, Tick, 2 * StepTime, "promotion");

        var done = (await Rollout(model).GetCurrent())!;
        done.History.Select(t => t.Event).ShouldBe(["started", "advanced", "promoted"]);
        (done.History[1].At - started.StepStartedAt).ShouldBeGreaterThanOrEqualTo(StepTime);
        (done.History[2].At - advanced.StepStartedAt).ShouldBeGreaterThanOrEqualTo(StepTime);
        done.History[2].Figures!.TargetRequests.ShouldBeGreaterThanOrEqualTo(3);
        done.History[2].Figures!.TargetErrorRate.ShouldBe(0);
        (await Weights(model)).ShouldBe([("2", 100.0)]);
        (await Traffic(model)).Rollout.ShouldBeNull();
    }

    [Fact]
    public async Task AFailingGateRollsBackAtItsNextTickAndTrafficReturnsToTheBaseline()
    {
        var model = await ModelWithCanary(FakeModelRuntime.Failing());
        var plan = new RolloutPlan("2", null, [new RolloutStep(20, TimeSpan.FromSeconds(30)), new RolloutStep(100, TimeSpan.FromSeconds(30))], new RolloutGates(0.05, null, null, MinRequests: 3));

        var started = await Rollout(model).Start(plan);
        await Serve(model, each: 5);
        await fixture.Clock.AdvanceUntil(async () => (await Rollout(model).GetCurrent())!.Phase == RolloutPhase.RolledBack, Tick, TimeSpan.FromSeconds(10), "the rollback");

        var done = (await Rollout(model).GetCurrent())!;
        var last = done.History[^1];
        last.Event.ShouldBe("rolled_back");
        last.Reason.ShouldContain("error rate");
        last.Figures!.TargetErrorRate.ShouldBeGreaterThan(0.05);
        (last.At - started.StepStartedAt).ShouldBeLessThan(TimeSpan.FromSeconds(30), "a failed gate does not wait for the step to end");
        (await Weights(model)).ShouldBe([("1", 100.0)]);
        (await Traffic(model)).Rollout.ShouldBeNull();
        // Past the routers' longest staleness every request without a version goes to the baseline.
        await fixture.Clock.Advance(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 20; i++)
        {
            (await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 1), null)).ModelVersion.ShouldBe("1");
        }
    }

    /// <summary>Moves the clock a tick at a time, letting the rollout's timer judge each one.</summary>
    private async Task Advance(TimeSpan total, string model)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += Tick)
        {
            await fixture.Clock.Advance(Tick);
            // The rollout grain is not reentrant and its timer is not interleaving: this call waits for a tick under way.
            await Rollout(model).GetCurrent();
        }
    }
}
