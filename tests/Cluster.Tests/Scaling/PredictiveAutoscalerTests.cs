using Cluster.Models;
using Cluster.Tests.FakeTime;
using Shouldly;

namespace Cluster.Tests.Scaling;

/// <summary>
/// The autoscaler grain with <c>"predictive": true</c> on a fake clock: the load it recorded one day brings the replicas up ahead
/// of the same time the next day, before any request asks for them. A cluster of its own, since the clock jumps a day.
/// </summary>
public sealed class PredictiveAutoscalerTests(FakeTimeClusterFixture fixture) : IClassFixture<FakeTimeClusterFixture>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    // The reactive rule waits an hour before acting, so only the forecast can add replicas within this test.
    private static readonly AutoscalingConfig Settings = new(MinReplicas: 1, MaxReplicas: 3, TargetQueuePerReplica: 1, UpscaleDelaySeconds: 3600,
        DownscaleDelaySeconds: 3600, IdleSecondsBeforeZero: 300, Predictive: true);

    [Fact]
    public async Task LoadRecordedOneDayBringsReplicasUpBeforeTheSameTimeTheNextDay()
    {
        var model = FakeTimeClusterFixture.Unique("daily");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), ModelConfig.Default with { Autoscaling = Settings });
        Task[] calls;
        DateTimeOffset peak;
        using (var gate = fixture.Runtime.Hold(model))
        {
            // Three requests held on one replica (two batches running, one queued): three ongoing for two minutes of fake time.
            calls = [.. Enumerable.Range(0, 3).Select(i => fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, i, 1), null))];
            await fixture.WaitForQueued(model, 1);
            peak = fixture.Clock.Now;
            for (var i = 0; i < 120; i++)
            {
                await fixture.Clock.Advance(Second);
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
            (await fixture.Autoscaler(model).GetStatus()).Decisions.ShouldBeEmpty("the reactive rule waits an hour");
            gate.Release();
            await Task.WhenAll(calls);
        }

        // Quiet until a few minutes before the same time the next day.
        await fixture.Clock.Advance(peak.AddDays(1).AddMinutes(-4) - fixture.Clock.Now);
        await fixture.Clock.AdvanceUntil(async () => (await fixture.Autoscaler(model).GetStatus()).Decisions.Length > 0, Second, TimeSpan.FromMinutes(4), "scaling up ahead of the peak");

        var decision = (await fixture.Autoscaler(model).GetStatus()).Decisions.ShouldHaveSingleItem();
        decision.Predictive.ShouldBeTrue(decision.Reason);
        (decision.From, decision.To).ShouldBe((1, 3));
        decision.Forecast.ShouldNotBeNull().ShouldBe(3, 0.5);
        decision.Load.ShouldBe(0, "no request is ongoing: the forecast alone decided");
        decision.At.ShouldBeLessThan(peak.AddDays(1), "up before the peak returns");
        (await fixture.Catalog(model)).Replicas.ShouldBe(3);
    }
}
