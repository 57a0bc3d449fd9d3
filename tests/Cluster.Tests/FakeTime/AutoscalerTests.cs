using Cluster.Models;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>The autoscaler on the fake clock: load held for the delay adds replicas, slack held for the delay removes them.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class AutoscalerTests(FakeTimeClusterFixture fixture)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly AutoscalingConfig Settings = new(MinReplicas: 1, MaxReplicas: 3, TargetQueuePerReplica: 2, UpscaleDelaySeconds: 3, DownscaleDelaySeconds: 5, IdleSecondsBeforeZero: 300);

    [Fact]
    public async Task LoadSustainedPastTheUpscaleDelayAddsTheReplicasItAsksFor()
    {
        var model = FakeTimeClusterFixture.Unique("up");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), ModelConfig.Default with { Autoscaling = Settings });
        using var gate = fixture.Runtime.Hold(model);

        // Six requests held on one replica: two batches running, four queued; six ongoing wants three replicas of two.
        var calls = Enumerable.Range(0, 6).Select(i => fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, i, 1), null)).ToArray();
        await fixture.WaitForQueued(model, 4);
        var loadFrom = fixture.Clock.Now;
        await fixture.Clock.AdvanceUntil(async () => (await fixture.Autoscaler(model).GetStatus()).Decisions.Length > 0, Step, TimeSpan.FromSeconds(30), "scaling up");

        var decision = (await fixture.Autoscaler(model).GetStatus()).Decisions.ShouldHaveSingleItem();
        (decision.From, decision.To).ShouldBe((1, 3));
        decision.Load.ShouldBe(6, 0.01);
        (decision.At - loadFrom).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(Settings.UpscaleDelaySeconds), "not before the load lasted the upscale delay");
        (await fixture.Catalog(model)).Replicas.ShouldBe(3);
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(3);

        gate.Release();
        (await Task.WhenAll(calls)).Select(r => r.Outputs[0].ToArray<float>()[0]).ShouldBe([0f, 2f, 4f, 6f, 8f, 10f]);
    }

    [Fact]
    public async Task SlackSustainedPastTheDownscaleDelayRemovesReplicasDownToTheMinimum()
    {
        var model = FakeTimeClusterFixture.Unique("down");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), ModelConfig.Default with { Autoscaling = Settings });
        await fixture.Version(model).Scale(3, "operator");
        // The worker reports once it has seen a request; no load from then on.
        await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 1), null);
        var idleFrom = fixture.Clock.Now;

        // The decision is recorded once the scale-down answers, after its drain, so the clock keeps moving until then.
        await fixture.Clock.AdvanceUntil(async () => (await fixture.Autoscaler(model).GetStatus()).Decisions.Length > 0, Step, TimeSpan.FromSeconds(40), "scaling down to the minimum");

        var decision = (await fixture.Autoscaler(model).GetStatus()).Decisions.ShouldHaveSingleItem();
        (decision.From, decision.To).ShouldBe((3, 1));
        decision.Reason.ShouldContain("needed at most 1");
        (decision.At - idleFrom).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(Settings.DownscaleDelaySeconds), "not before the slack lasted the downscale delay");
        (await fixture.Catalog(model)).Replicas.ShouldBe(1);
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(1, "the removed replicas' sessions are freed after the drain");
    }
}
