using System.Collections.Immutable;
using Cluster.Batching;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class BatchQueueTests
{
    private const long Frequency = 1_000_000;

    private static PendingRequest Pending(int rows, int width, long enqueuedAt = 0, long? deadline = null)
    {
        var request = new InferenceRequest(null, [TensorData.From<float>("x", new float[rows * width], rows, width)], []);
        return new PendingRequest(request, rows, PendingRequest.KeyOf(request), enqueuedAt, deadline);
    }

    [Fact]
    public void ABatchTakesTheOldestRequestAndLaterCompatibleOnesInOrderWhileTheyFit()
    {
        var queue = new BatchQueue();
        var a = Pending(2, 4);
        var b = Pending(1, 3);
        var c = Pending(3, 4);
        var d = Pending(2, 4);
        foreach (var p in new[] { a, b, c, d }) queue.Enqueue(p);

        queue.CompatibleRows(8).ShouldBe(7);
        var batch = queue.TakeBatch(5);

        batch.ShouldBe([a, c]);
        queue.Count.ShouldBe(2);
        queue.Oldest.ShouldBe(b);
        queue.TakeBatch(5).ShouldBe([b]);
        queue.TakeBatch(5).ShouldBe([d]);
    }

    [Fact]
    public void ARequestLargerThanTheLimitStillFormsABatchOfItsOwn()
    {
        var queue = new BatchQueue();
        var big = Pending(6, 2);
        queue.Enqueue(big);
        queue.Enqueue(Pending(1, 2));

        queue.TakeBatch(1).ShouldBe([big]);
    }

    [Fact]
    public void RequestedOutputsArePartOfTheBatchKey()
    {
        var x = TensorData.From<float>("x", [1f, 2], 1, 2);
        var all = new InferenceRequest(null, [x], []);
        var one = new InferenceRequest(null, [x], ["y"]);

        PendingRequest.KeyOf(all).ShouldNotBe(PendingRequest.KeyOf(one));
        PendingRequest.KeyOf(all).ShouldBe(PendingRequest.KeyOf(new InferenceRequest("other", [TensorData.From<float>("x", [5f, 6, 7, 8], 2, 2)], [])));
    }

    [Fact]
    public void FixedModeWaitsForTheDelayUnlessThePreferredSizeIsReached()
    {
        var batching = BatchingConfig.Off with { Enabled = true, MaxQueueDelayMicroseconds = 1000, PreferredBatchSizes = [4, 8] };
        var queue = new BatchQueue();
        queue.Enqueue(Pending(3, 2, enqueuedAt: 0));
        queue.Enqueue(Pending(2, 2, enqueuedAt: 10));

        BatchFormation.Decide(batching, queue, 16, now: 500, Frequency).ShouldBe(new BatchFormation.Decision(0, 1000));
        BatchFormation.Decide(batching, queue, 16, now: 1000, Frequency).ShouldBe(new BatchFormation.Decision(4, null));

        queue.Enqueue(Pending(3, 2, enqueuedAt: 20));
        BatchFormation.Decide(batching, queue, 16, now: 30, Frequency).ShouldBe(new BatchFormation.Decision(8, null));
    }

    [Fact]
    public void WithoutDelayOrInAdaptiveModeNothingWaits()
    {
        var queue = new BatchQueue();
        queue.Enqueue(Pending(1, 2));

        BatchFormation.Decide(BatchingConfig.Off with { Enabled = true }, queue, 16, 0, Frequency).WaitUntil.ShouldBeNull();
        BatchFormation.Decide(BatchingConfig.Off with { Enabled = true, LatencyTargetMs = 5 }, queue, 16, 0, Frequency).WaitUntil.ShouldBeNull();
        BatchFormation.MaxRows(ModelConfig.Default, null).ShouldBe(1);
        BatchFormation.MaxRows(ModelConfig.Default with { MaxBatchSize = 0, Batching = BatchingConfig.Off with { Enabled = true } }, null).ShouldBe(1);
    }

    [Fact]
    public void ExpiredRequestsAreFoundAndRemoved()
    {
        var queue = new BatchQueue();
        var late = Pending(1, 2, deadline: 50);
        var fine = Pending(1, 2, deadline: 500);
        queue.Enqueue(late);
        queue.Enqueue(fine);

        queue.EarliestDeadline().ShouldBe(50);
        queue.RemoveWhere(p => p.DeadlineAt <= 100).ShouldBe([late]);
        queue.EarliestDeadline().ShouldBe(500);
    }

    [Fact]
    public void ConfigsThatArriveAsCopiesCompareBySettings()
    {
        var a = ModelConfig.Default with { Batching = BatchingConfig.Off with { Enabled = true, PreferredBatchSizes = [2, 4] } };
        var b = a with { Batching = a.Batching with { PreferredBatchSizes = ImmutableArray.Create(2, 4) }, Labels = ImmutableDictionary<string, string>.Empty.Add("x", "1") };

        BatchFormation.SameSettings(a, b).ShouldBeTrue();
        BatchFormation.SameSettings(a, b with { Batching = b.Batching with { MaxQueueSize = 3 } }).ShouldBeFalse();
    }

    [Fact]
    public void RequestsSentAgainGoAheadOfTheQueueInTheirOrderAndDoneOnesAreDropped()
    {
        var queue = new BatchQueue();
        var waiting = Pending(1, 2);
        var first = Pending(1, 2);
        var cancelled = Pending(1, 2);
        var second = Pending(1, 2);
        queue.Enqueue(waiting);
        cancelled.Completion.TrySetCanceled();

        queue.EnqueueFirst([first, cancelled, second]);

        queue.Count.ShouldBe(3);
        queue.TakeBatch(3).ShouldBe([first, second, waiting]);
    }
}
