using Cluster.Errors;
using Cluster.Models;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>A version's drains on the fake clock: unload, scaling down and up, and eviction while a change runs.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class VersionLifecycleTests(FakeTimeClusterFixture fixture)
{
    // Routers refresh within this, so requests they routed before a change have finished when sessions go.
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan JustShort = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task UnloadMarksTheVersionUnloadedAtOnceAndFreesItsReplicasOnlyAfterTheDrain()
    {
        var model = FakeTimeClusterFixture.Unique("unload");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), ModelConfig.Default with { Replicas = 2 });
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(2);

        var unloading = fixture.Version(model).Unload();
        await Eventually.Until(async () => (await fixture.Catalog(model)).Status == VersionStatus.Unloaded, "the catalog recording the unload");

        var refused = await Should.ThrowAsync<ModelNotReadyException>(() => fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 1), "1"));
        refused.Message.ShouldContain("unloaded");
        await fixture.Clock.Advance(Drain - JustShort);
        unloading.IsCompleted.ShouldBeFalse("the drain is not over");
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(2, "sessions stay while routed requests may still arrive");

        await fixture.Clock.Advance(JustShort);
        (await unloading).Status.ShouldBe(VersionStatus.Unloaded);
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(0);
    }

    [Fact]
    public async Task ScalingUpServesAtOnceAndScalingDownDrainsBeforeFreeingSessions()
    {
        var model = FakeTimeClusterFixture.Unique("scale");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f));

        var up = await fixture.Version(model).Scale(3, "test");

        (up.Replicas, up.ReplicaSilos.Length).ShouldBe((3, 3));
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(3, "new replicas load before the scale answers");
        var down = fixture.Version(model).Scale(1, "test");
        await Eventually.Until(async () => (await fixture.Catalog(model)).Replicas == 1, "the catalog recording the scale-down");
        await fixture.Clock.Advance(Drain - JustShort);
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(3, "removed replicas keep their sessions through the drain");
        await fixture.Clock.Advance(JustShort);
        (await down).Replicas.ShouldBe(1);
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(1);
        (await fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 2), null)).Outputs[0].ToArray<float>().ShouldBe([2f, 4f]);
    }

    [Fact]
    public async Task EvictAnswersFalseWhileAChangeRunsAndOtherwiseScalesToZeroWithoutADrain()
    {
        var model = FakeTimeClusterFixture.Unique("evict");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), ModelConfig.Default with { Replicas = 2 });
        var version = fixture.Version(model);

        var down = version.Scale(1, "test");
        await Eventually.Until(async () => (await fixture.Catalog(model)).Replicas == 1, "the scale-down starting");
        (await version.Evict("memory")).ShouldBeFalse("a change is running (draining)");
        await fixture.Clock.Advance(Drain);
        await down;

        (await version.Evict("memory")).ShouldBeTrue();
        var evicted = await fixture.Catalog(model);
        (evicted.Status, evicted.Replicas).ShouldBe((VersionStatus.Ready, 0));
        evicted.Reason.ShouldNotBeNull().ShouldContain("scaled to zero");
        fixture.Runtime.OpenSessions(model, "1").ShouldBe(0, "an eviction frees at once: a load is waiting for the memory");
        (await version.Evict("memory")).ShouldBeFalse("nothing left to evict");
    }
}
