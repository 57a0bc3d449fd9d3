using Cluster.Cost;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Tests.FakeTime;
using Shouldly;

namespace Cluster.Tests.Cost;

/// <summary>
/// Usage and cost of real replicas (fake runtimes) on two silos and a fake clock: exact replica-, busy- and memory-seconds,
/// merged across silos, priced, and advice applied by one call.
/// </summary>
public sealed class CostAccountingTests(CostClusterFixture fixture) : IClassFixture<CostClusterFixture>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task ReplicaBusyAndMemorySecondsOfAVersionAreExactOnTheFakeClock()
    {
        var model = FakeTimeClusterFixture.Unique("exact");
        await fixture.Upload(model, ModelConfig.Default with { MemoryBytes = 4 * MiB });
        await fixture.Clock.Advance(TimeSpan.FromSeconds(30));

        // One request held at the runtime's gate while the clock moves two seconds: two busy seconds.
        var gates = fixture.Runtimes.Select(r => r.Hold(model)).ToArray();
        var call = fixture.Grains.GetGrain<IRouterGrain>(model).Infer(FakeTimeClusterFixture.Request(2, 1, 2), null);
        await Eventually.Until(() => Task.FromResult(fixture.Runtimes.Sum(r => r.Batches(model).Count) == 1), "the batch reached its replica");
        await fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        foreach (var gate in gates) gate.Release();
        (await call).Outputs[0].ToArray<float>().ShouldBe([2f, 4f]);
        await fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        // Evicting scales to zero without a drain, so the replica's loaded time ends at this very instant: 42 s after it loaded.
        (await fixture.Version(model).Release("test")).ShouldBeTrue();

        var usage = await fixture.ReportedUpTo(model, 42);
        await fixture.Clock.Advance(TimeSpan.FromSeconds(CostClusterFixture.ReportEverySeconds * 2));
        usage = await fixture.Usage(model).Get(TimeSpan.FromHours(1));

        usage.Total.ReplicaSeconds.ShouldBe(42, 1e-9, "loaded from upload to eviction, and not a second after");
        usage.Total.BusySeconds.ShouldBe(2, 1e-9);
        (usage.Total.Requests, usage.Total.Rows, usage.Total.Batches).ShouldBe((1L, 1L, 1L));
        usage.Total.MemoryByteSeconds.ShouldBe(42 * 4 * MiB, 1e-3);
        usage.Total.Utilization.ShouldBe(2.0 / 42, 1e-12);
        usage.Silos.ShouldHaveSingleItem().Device.ShouldBe(DeviceClass.Cpu);
    }

    [Fact]
    public async Task AVersionOnTwoSilosIsMergedAndBrokenDownPerSilo()
    {
        var model = FakeTimeClusterFixture.Unique("merge");
        var info = await fixture.Upload(model, ModelConfig.Default with { Replicas = 2, MemoryBytes = MiB });
        info.ReplicaSilos.Distinct().Count().ShouldBe(2, "one replica on each silo");
        await fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        (await fixture.Version(model).Release("test")).ShouldBeTrue();

        var usage = await fixture.ReportedUpTo(model, 40);

        usage.Total.ReplicaSeconds.ShouldBe(40, 1e-9);
        usage.Silos.Length.ShouldBe(2);
        usage.Silos.Select(s => s.Silo).ShouldBe(info.ReplicaSilos.Select(s => s.ToString()).Order(StringComparer.Ordinal));
        usage.Silos.ShouldAllBe(s => Math.Abs(s.Figures.ReplicaSeconds - 20) < 1e-9);
    }

    [Fact]
    public async Task AnIdleVersionIsPricedAdvisedUnusedAndTheAdviceAppliedScalesItToZero()
    {
        var model = FakeTimeClusterFixture.Unique("idle");
        await fixture.Upload(model, ModelConfig.Default with { Replicas = 2, MemoryBytes = 512 * MiB });
        await fixture.Clock.Advance(TimeSpan.FromSeconds(CostClusterFixture.MinObservedSeconds));

        await fixture.ReportedUpTo(model, 2 * CostClusterFixture.MinObservedSeconds);
        var report = await fixture.Cost.GetReport("1h");

        report.Window.ShouldBe("1h");
        var cost = report.Versions.Single(v => v.Model == model);
        (cost.Version, cost.Device, cost.Replicas, cost.Usage.Requests).ShouldBe(("1", DeviceClass.Cpu, 2, 0L));
        var expected = cost.Usage.ReplicaSeconds / 3600 * CostClusterFixture.CpuPerHour + cost.Usage.ReplicaSeconds * 0.5 / 3600 * CostClusterFixture.PerGiBHour;
        cost.EstimatedCost.ShouldBe(expected, 1e-12);
        cost.CostPer1kPredictions.ShouldBeNull("no prediction was made");
        var advice = report.Recommendations.Single(r => r.Model == model);
        (advice.Kind, advice.Setting, advice.Value).ShouldBe((RecommendationKinds.Unused, RecommendationSettings.Replicas, 0));
        advice.EstimatedSavingPerDay.ShouldBe(2 * 24 * (CostClusterFixture.CpuPerHour + 0.5 * CostClusterFixture.PerGiBHour), 1e-6);
        (await fixture.Grains.GetGrain<IModelGrain>(model).GetInfo()).FindVersion("1")!.Replicas.ShouldBe(2, "advice is never applied by itself");

        var applying = fixture.Cost.Apply(model, "1", RecommendationKinds.Unused, "1h");
        // Scaling down drains for two seconds of the fake clock before the sessions go.
        await fixture.Clock.AdvanceUntil(() => Task.FromResult(applying.IsCompleted), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), "applying the advice");
        (await applying).Kind.ShouldBe(RecommendationKinds.Unused);

        (await fixture.Grains.GetGrain<IModelGrain>(model).GetInfo()).FindVersion("1")!.Replicas.ShouldBe(0);
        fixture.Runtimes.Sum(r => r.OpenSessions(model, "1")).ShouldBe(0);
        await Should.ThrowAsync<ConflictException>(() => fixture.Cost.Apply(model, "1", RecommendationKinds.Unused, "1h"));
    }

    [Fact]
    public async Task AnUnknownWindowIsRefused()
    {
        await Should.ThrowAsync<InvalidInferenceRequestException>(() => fixture.Cost.GetReport("2d"));
    }
}
