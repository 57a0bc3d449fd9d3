using Cluster.Models;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>Versions at zero replicas on the fake clock: the next request brings one up and is served.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class ColdStartTests(FakeTimeClusterFixture fixture)
{
    [Fact]
    public async Task AVersionScaledToZeroServesTheNextRequestAfterItsAutoscalerBringsAReplicaUp()
    {
        var model = FakeTimeClusterFixture.Unique("cold");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f));
        (await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 1), null)).Outputs[0].ToArray<float>().ShouldBe([2f, 2f]);

        var scaling = fixture.Version(model).Scale(0, "test");
        await Eventually.Until(async () => (await fixture.Catalog(model)).Replicas == 0, "the catalog recording zero replicas");
        await fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        (await scaling).Reason.ShouldNotBeNull().ShouldContain("scaled to zero");
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(0);

        var response = await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 3, -1), null);

        response.Outputs[0].ToArray<float>().ShouldBe([6f, -2f]);
        var status = await fixture.Autoscaler(model).GetStatus();
        (status.ColdStarts, status.Replicas).ShouldBe((1L, 1));
        status.Decisions.Select(d => (d.From, d.To)).ShouldBe([(0, 1)]);
        (await fixture.Catalog(model)).Replicas.ShouldBe(1);
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(1);
    }

    [Fact]
    public async Task AnIdleVersionWithMinimumZeroGoesToZeroAfterItsIdleTimeAndComesBackOnDemand()
    {
        var model = FakeTimeClusterFixture.Unique("idle");
        var autoscaling = new AutoscalingConfig(MinReplicas: 0, MaxReplicas: 2, TargetQueuePerReplica: 2, UpscaleDelaySeconds: 1, DownscaleDelaySeconds: 2, IdleSecondsBeforeZero: 30);
        (await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), ModelConfig.Default with { Autoscaling = autoscaling })).Replicas.ShouldBe(1, "a version starts with one replica even when it may scale to zero");
        await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 1), null);
        var lastRequest = fixture.Clock.Now;

        // The decision is recorded once the scale-down answers, after its drain, so the clock keeps moving until then.
        await fixture.Clock.AdvanceUntil(async () => (await fixture.Autoscaler(model).GetStatus()).Decisions.Length > 0, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(90), "scaling to zero once idle");

        var idle = (await fixture.Autoscaler(model).GetStatus()).Decisions.ShouldHaveSingleItem();
        (idle.From, idle.To).ShouldBe((1, 0));
        idle.Reason.ShouldContain("idle");
        (idle.At - lastRequest).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30), "not before the idle time has passed");
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(0);

        (await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 4, 1), null)).Outputs[0].ToArray<float>().ShouldBe([8f, 2f]);
        (await fixture.Autoscaler(model).GetStatus()).ColdStarts.ShouldBe(1);
    }
}
