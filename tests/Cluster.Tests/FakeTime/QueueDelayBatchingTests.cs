using Cluster.Models;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>Fixed-mode batching on the fake clock: when a batch waits, when it goes, and what it may hold.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class QueueDelayBatchingTests(FakeTimeClusterFixture fixture)
{
    private static ModelConfig Fixed(TimeSpan delay, params int[] preferred) => ModelConfig.Default with
    {
        MaxBatchSize = 8,
        Batching = BatchingConfig.Off with { Enabled = true, MaxQueueDelayMicroseconds = (long)delay.TotalMicroseconds, PreferredBatchSizes = [.. preferred] },
    };

    [Fact]
    public async Task FixedModeWaitsOutTheQueueDelayThenSendsEveryQueuedRowInOneBatch()
    {
        var model = FakeTimeClusterFixture.Unique("delay");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), Fixed(TimeSpan.FromMilliseconds(100)));
        var router = fixture.Router(model);

        var calls = new[] { 1f, 2f, 3f }.Select(v => router.Infer(FakeTimeClusterFixture.Request(2, v, -v), null)).ToArray();
        await fixture.WaitForQueued(model, 3);
        await fixture.Clock.Advance(TimeSpan.FromMilliseconds(99));

        fixture.Runtime.Batches(model).ShouldBeEmpty("nothing runs before the oldest request has waited max_queue_delay");
        calls.ShouldAllBe(c => !c.IsCompleted);

        await fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var responses = await Task.WhenAll(calls);

        fixture.Runtime.Batches(model).Select(b => b.Rows).ShouldBe([3L], "the three queued rows go together");
        responses.Select(r => r.Outputs[0].ToArray<float>()).ShouldBe([[2f, -2f], [4f, -4f], [6f, -6f]]);
        (await fixture.Batching(model)).Batches.ShouldBe(1);
    }

    [Fact]
    public async Task AFullPreferredBatchIsSentAtOnceAndTheRemainderWaitsForTheDelay()
    {
        var model = FakeTimeClusterFixture.Unique("preferred");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(3f), Fixed(TimeSpan.FromSeconds(10), 4));
        var router = fixture.Router(model);

        var first = Enumerable.Range(0, 3).Select(i => router.Infer(FakeTimeClusterFixture.Request(2, i, 1), null)).ToList();
        await fixture.WaitForQueued(model, 3);
        fixture.Runtime.Batches(model).ShouldBeEmpty("three rows are short of the preferred size");
        first.Add(router.Infer(FakeTimeClusterFixture.Request(2, 3, 1), null));
        var full = await Task.WhenAll(first);

        fixture.Runtime.Batches(model).Select(b => b.Rows).ShouldBe([4L], "the fourth row fills the preferred size, so the batch goes without the clock moving");
        full.Select(r => r.Outputs[0].ToArray<float>()[0]).ShouldBe([0f, 3f, 6f, 9f]);

        var rest = Enumerable.Range(0, 2).Select(i => router.Infer(FakeTimeClusterFixture.Request(2, 10 + i, 1), null)).ToArray();
        await fixture.WaitForQueued(model, 2);
        await fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await Task.WhenAll(rest);

        fixture.Runtime.Batches(model).Select(b => b.Rows).ShouldBe([4L, 2L]);
    }

    [Fact]
    public async Task RequestsWithDifferentTrailingShapesNeverShareABatch()
    {
        var model = FakeTimeClusterFixture.Unique("shapes");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(1f), Fixed(TimeSpan.FromMilliseconds(100)));
        var router = fixture.Router(model);

        var narrow = Enumerable.Range(0, 3).Select(i => router.Infer(FakeTimeClusterFixture.Request(2, i, i), null));
        var wide = Enumerable.Range(0, 2).Select(i => router.Infer(FakeTimeClusterFixture.Request(3, i, i, i), null));
        var calls = narrow.Concat(wide).ToArray();
        await fixture.WaitForQueued(model, 5);
        await fixture.Clock.Advance(TimeSpan.FromMilliseconds(100));
        var responses = await Task.WhenAll(calls);

        fixture.Runtime.Batches(model).Select(b => (b.Rows, b.Shape[1])).Order().ShouldBe([(2L, 3L), (3L, 2L)]);
        responses.Select(r => r.Outputs[0].Shape[1]).ShouldBe([2L, 2L, 2L, 3L, 3L]);
    }
}
