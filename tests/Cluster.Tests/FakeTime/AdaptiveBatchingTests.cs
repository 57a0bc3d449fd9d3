using Cluster.Inference;
using Cluster.Models;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// Adaptive batching on the fake clock: the batch size grows while full batches compute well within
/// the p95 target and shrinks by a quarter for every batch that takes more than half of it.
/// </summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class AdaptiveBatchingTests(FakeTimeClusterFixture fixture)
{
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(100);

    private static readonly ModelConfig Adaptive = ModelConfig.Default with
    {
        MaxBatchSize = 16,
        Batching = BatchingConfig.Off with { Enabled = true, LatencyTargetMs = Target.TotalMilliseconds },
    };

    [Fact]
    public async Task TheBatchGrowsWhileTheModelIsFastAndShrinksOnceItsBatchesTakeOverHalfTheTarget()
    {
        var model = FakeTimeClusterFixture.Unique("adaptive");
        await fixture.Upload(model, "1", FakeModelRuntime.Scale(2f), Adaptive);
        var router = fixture.Router(model);
        var calls = new List<Task<InferenceResponse>>();
        void Send(int count) => calls.AddRange(Enumerable.Range(calls.Count, count).Select(i => router.Infer(FakeTimeClusterFixture.Request(2, i, 1), null)));

        // A lone request is held computing, a second waits at the replica (it runs one batch at a time), and 40 more queue.
        var gate = fixture.Runtime.Hold(model);
        await Occupy();
        // Released without the clock moving, every batch computes in a millisecond, far within 40 % of the target.
        gate.Release();
        await Task.WhenAll(calls);

        var fast = await fixture.Batching(model);
        fast.Mode.ShouldBe("adaptive");
        fixture.Runtime.Batches(model)[2].Rows.ShouldBe(8, "the first batch from the queue holds the starting size");
        fast.MaxBatchRows.ShouldBeGreaterThan(8, "each full batch computed well within the target adds a row");
        fixture.Runtime.Batches(model).Max(b => b.Rows).ShouldBeGreaterThan(8);
        fixture.Runtime.Batches(model).ShouldAllBe(b => b.Rows <= Adaptive.MaxBatchSize);
        fast.ObservedP95.ShouldBeLessThan(Target);

        // Now each batch is held while the clock moves 150 ms: over half the target in compute, and over the
        // target in latency. Each completion cuts the size by a quarter before the worker sends the next batch.
        var sizes = new List<int> { fast.MaxBatchRows };
        var slowFrom = fixture.Runtime.Batches(model).Count;
        gate = fixture.Runtime.Hold(model);
        await Occupy();
        for (var round = 0; round < 3; round++)
        {
            var next = fixture.Runtime.Hold(model);
            var started = fixture.Runtime.Batches(model).Count;
            var completed = (await fixture.Batching(model)).Batches;
            await fixture.Clock.Advance(TimeSpan.FromMilliseconds(150));
            gate.Release();
            // The held batch completed, the waiting one started (held at the next gate) and the worker sent another in its place.
            await Eventually.Until(async () => (await fixture.Batching(model)) is { InFlightBatches: 2 } stats && stats.Batches == completed + 1
                && fixture.Runtime.Batches(model).Count == started + 1, $"round {round} of slow batches");
            sizes.Add(Math.Max(1, sizes[^1] * 3 / 4));
            (await fixture.Batching(model)).MaxBatchRows.ShouldBe(sizes[^1], $"round {round}");
            gate = next;
        }
        (await fixture.Batching(model)).ObservedP95.ShouldBeGreaterThan(Target);
        fixture.Runtime.Batches(model).Skip(slowFrom).Select(b => (int)b.Rows).ShouldBe([1, 1, sizes[1], sizes[2]], "each batch sent after a slow one holds the shrunken size");

        gate.Release();
        var responses = await Task.WhenAll(calls);
        responses.Select(r => r.Outputs[0].ToArray<float>()[0]).ShouldBe(Enumerable.Range(0, calls.Count).Select(i => 2f * i));

        async Task Occupy()
        {
            var before = fixture.Runtime.Batches(model).Count;
            Send(1);
            await fixture.Runtime.WaitForBatches(model, before + 1);
            Send(1);
            await Eventually.Until(async () => (await fixture.Batching(model)).InFlightBatches == 2, "a second batch in flight");
            Send(40);
            await fixture.WaitForQueued(model, 40);
        }
    }
}
