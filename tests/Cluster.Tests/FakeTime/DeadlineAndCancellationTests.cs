using Cluster.Errors;
using Cluster.Models;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>What a batch worker drops before compute, on the fake clock: expired, cancelled and refused requests.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class DeadlineAndCancellationTests(FakeTimeClusterFixture fixture)
{
    private static readonly TimeSpan QueueDelay = TimeSpan.FromSeconds(10);

    // Requests wait the whole queue delay unless four rows arrive, so they stay queued while the clock stands still.
    private static ModelConfig Holding(int maxQueueSize = BatchingConfig.DefaultMaxQueueSize) => ModelConfig.Default with
    {
        MaxBatchSize = 4,
        Batching = BatchingConfig.Off with { Enabled = true, MaxQueueDelayMicroseconds = (long)QueueDelay.TotalMicroseconds, MaxQueueSize = maxQueueSize },
    };

    [Fact]
    public async Task AQueuedRequestWhoseTimeoutPassesFailsWithDeadlineExceededAndIsNeverComputed()
    {
        var model = FakeTimeClusterFixture.Unique("deadline");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), Holding());

        var call = fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 2) with { Timeout = TimeSpan.FromMilliseconds(50) }, null);
        await fixture.WaitForQueued(model, 1);
        await fixture.Clock.Advance(TimeSpan.FromMilliseconds(49));
        call.IsCompleted.ShouldBeFalse("the deadline has not passed yet");

        await fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Should.ThrowAsync<DeadlineExceededException>(() => call);

        error.Message.ShouldContain("dropped before compute");
        await fixture.Clock.Advance(QueueDelay);
        var stats = await fixture.Batching(model);
        (stats.Expired, stats.Queued, stats.RowsComputed).ShouldBe((1L, 0, 0L));
        fixture.Runtime.Batches(model).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheDefaultTimeoutAppliesToRequestsThatBringNone()
    {
        var model = FakeTimeClusterFixture.Unique("default-timeout");
        var config = Holding();
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), config with { Batching = config.Batching with { DefaultTimeoutMicroseconds = 200_000 } });

        var call = fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 2), null);
        await fixture.WaitForQueued(model, 1);
        await fixture.Clock.Advance(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<DeadlineExceededException>(() => call);
        fixture.Runtime.Batches(model).ShouldBeEmpty();
    }

    [Fact]
    public async Task ACancelledRequestIsDroppedBeforeCompute()
    {
        var model = FakeTimeClusterFixture.Unique("cancel");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), Holding());
        using var cancel = new CancellationTokenSource();

        var call = fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 1, 2), null, cancel.Token);
        await fixture.WaitForQueued(model, 1);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        await Eventually.Until(async () => (await fixture.Batching(model)).Cancelled == 1, "the cancelled request leaving the queue");
        (await fixture.Batching(model)).Queued.ShouldBe(0);
        await fixture.Clock.Advance(QueueDelay);
        var later = fixture.Router(model).Infer(FakeTimeClusterFixture.Request(2, 5, 6), null);
        await fixture.WaitForQueued(model, 1);
        await fixture.Clock.Advance(QueueDelay);

        (await later).Outputs[0].ToArray<float>().ShouldBe([10f, 12f]);
        fixture.Runtime.Batches(model).Select(b => b.Rows).ShouldBe([1L], "only the later request was computed, alone");
    }

    [Fact]
    public async Task AFullQueueRefusesAtOnceWithQueueFullAndTheQueuedRequestsAreServed()
    {
        var model = FakeTimeClusterFixture.Unique("full");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), Holding(maxQueueSize: 2));
        var router = fixture.Router(model);

        var queued = new[] { 1f, 2f }.Select(v => router.Infer(FakeTimeClusterFixture.Request(2, v, v), null)).ToArray();
        await fixture.WaitForQueued(model, 2);
        // Answered while the fake clock stands still: a refusal never waits for the queue.
        var refused = await Should.ThrowAsync<QueueFullException>(() => router.Infer(FakeTimeClusterFixture.Request(2, 3, 3), null));

        refused.Message.ShouldContain("max_queue_size");
        refused.RetryAfter.ShouldBeGreaterThan(TimeSpan.Zero);
        queued.ShouldAllBe(c => !c.IsCompleted);
        await fixture.Clock.Advance(QueueDelay);
        (await Task.WhenAll(queued)).Select(r => r.Outputs[0].ToArray<float>()[0]).ShouldBe([2f, 4f]);
        var stats = await fixture.Batching(model);
        (stats.Rejected, stats.Batches, stats.RowsComputed).ShouldBe((1L, 1L, 2L));
    }
}
