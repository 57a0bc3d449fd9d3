using System.Collections.Immutable;
using Cluster.Batching;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class BatchSchedulerTests
{
    // Timestamps in microseconds keep the arithmetic readable.
    private const long Frequency = 1_000_000;
    private const long Ms = Frequency / 1000;

    private static ModelConfig Fixed(long delayMicroseconds, int maxQueue = 1024, int[]? preferred = null, long timeoutMicroseconds = 0) =>
        ModelConfig.Default with { MaxBatchSize = 8, Batching = new BatchingConfig(true, delayMicroseconds, [.. preferred ?? []], maxQueue, timeoutMicroseconds, 0) };

    private static ModelConfig Adaptive(double targetMs) =>
        ModelConfig.Default with { MaxBatchSize = 32, Batching = new BatchingConfig(true, 0, [], 1024, 0, targetMs) };

    private static InferenceRequest Request(int rows = 1, TimeSpan? timeout = null) =>
        new(null, [TensorData.From<float>("x", new float[rows * 2], rows, 2)], [], timeout);

    private static BatchScheduler Scheduler(ModelConfig config, int replicas = 1)
    {
        var scheduler = new BatchScheduler("m", "1", Frequency, 0);
        scheduler.Configure(config, replicas);
        return scheduler;
    }

    [Fact]
    public void AFullQueueRefusesWithARetryHintAndCountsTheRejection()
    {
        var scheduler = Scheduler(Fixed(1_000, maxQueue: 2));
        scheduler.Admit(Request(), 0);
        scheduler.Admit(Request(), 0);

        var refused = Should.Throw<QueueFullException>(() => scheduler.Admit(Request(), 0));

        refused.RetryAfter.ShouldBe(BatchScheduler.RetryAfter);
        refused.Message.ShouldContain("'m' version 1 has 2 requests queued");
        scheduler.Counters.Rejected.ShouldBe(1);
        scheduler.Queued.ShouldBe(2);
    }

    [Fact]
    public void WithADelayABatchWaitsForTheOldestRequestsDelayThenTakesEverythingThatFits()
    {
        var scheduler = Scheduler(Fixed(2_000));
        var first = scheduler.Admit(Request(2), 0);
        var second = scheduler.Admit(Request(3), 500);

        var early = scheduler.Plan(1_000);
        early.Batches.ShouldBeEmpty();
        early.WakeAt.ShouldBe(2 * Ms);
        scheduler.Plan(1_500).WakeAt.ShouldBeNull("a wake-up at the same time is already set");

        scheduler.Woke(2 * Ms);
        var due = scheduler.Plan(2 * Ms);
        due.Batches.ShouldHaveSingleItem().Requests.ShouldBe([first, second]);
        scheduler.Queued.ShouldBe(0);
    }

    [Fact]
    public void APreferredSizeThatTheQueueFillsGoesAtOnce()
    {
        var scheduler = Scheduler(Fixed(10_000, preferred: [4]));
        var requests = Enumerable.Range(0, 5).Select(_ => scheduler.Admit(Request(), 0)).ToList();

        var step = scheduler.Plan(0);

        step.Batches.ShouldHaveSingleItem().Requests.ShouldBe(requests[..4]);
        step.WakeAt.ShouldBe(10 * Ms, "the fifth waits for the delay");
    }

    [Fact]
    public void EachReplicaGetsTwoBatchesInFlightAndTheRestWaitsForOneToFinish()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 }, replicas: 2);
        for (var i = 0; i < 6; i++) scheduler.Admit(Request(), 0);

        var step = scheduler.Plan(0);

        step.Batches.Count.ShouldBe(2 * BatchScheduler.InFlightPerReplica);
        step.Batches.GroupBy(b => b.Replica).Select(g => g.Count()).ShouldAllBe(n => n == BatchScheduler.InFlightPerReplica);
        scheduler.Queued.ShouldBe(2);
        scheduler.Plan(1).Batches.ShouldBeEmpty();

        scheduler.Completed(step.Batches[0], 1, TimeSpan.FromMilliseconds(1), 2);
        var next = scheduler.Plan(2).Batches.ShouldHaveSingleItem();
        next.Replica.ShouldBe(step.Batches[0].Replica, "the freed replica is the less loaded one");
    }

    [Fact]
    public void ARequestPastItsDeadlineFailsBeforeComputeAndItsDeadlineSetsAWakeUp()
    {
        var scheduler = Scheduler(Fixed(50_000));
        var late = scheduler.Admit(Request(timeout: TimeSpan.FromMilliseconds(5)), 0);

        scheduler.Plan(0).WakeAt.ShouldBe(5 * Ms, "the deadline comes before the batch delay");
        scheduler.Woke(5 * Ms);
        scheduler.Plan(5 * Ms).Batches.ShouldBeEmpty();

        late.Completion.Task.IsFaulted.ShouldBeTrue();
        late.Completion.Task.Exception!.InnerException.ShouldBeOfType<DeadlineExceededException>().Message.ShouldContain("waited 5.0 ms");
        scheduler.Counters.Expired.ShouldBe(1);
    }

    [Fact]
    public void TheConfiguredDefaultTimeoutAppliesToRequestsWithoutOne()
    {
        var scheduler = Scheduler(Fixed(0, timeoutMicroseconds: 3_000));

        scheduler.Admit(Request(), 1_000).DeadlineAt.ShouldBe(4_000);
        scheduler.Admit(Request(timeout: TimeSpan.FromMilliseconds(1)), 1_000).DeadlineAt.ShouldBe(2_000);
    }

    [Fact]
    public void AWithdrawnRequestLeavesTheQueueAndIsCountedAsCancelled()
    {
        var scheduler = Scheduler(Fixed(10_000));
        var kept = scheduler.Admit(Request(), 0);
        var gone = scheduler.Admit(Request(), 0);

        scheduler.Withdraw(gone, 1);

        scheduler.Counters.Cancelled.ShouldBe(1);
        scheduler.Plan(10 * Ms).Batches.ShouldHaveSingleItem().Requests.ShouldBe([kept]);
    }

    [Fact]
    public void WithNoReplicaServingOneColdStartIsAskedForAndItsReplicasServeUntilTheGraceEnds()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 }, replicas: 0);
        scheduler.Admit(Request(), 0);

        scheduler.Plan(0).StartColdStart.ShouldBeTrue();
        scheduler.Admit(Request(), 1);
        scheduler.Plan(1).StartColdStart.ShouldBeFalse("one cold start at a time");

        scheduler.ColdStarted(2, 10 * Ms);
        scheduler.Plan(10 * Ms).Batches.Count.ShouldBe(2);
        scheduler.ServingReplicas(10 * Ms + (long)(BatchScheduler.ColdStartGrace.TotalSeconds * Frequency)).ShouldBe(0, "after the grace the callers' count holds again");
    }

    [Fact]
    public void AFailedColdStartFailsEveryQueuedRequestWithItsReason()
    {
        var scheduler = Scheduler(Fixed(0), replicas: 0);
        var waiting = scheduler.Admit(Request(), 0);
        scheduler.Plan(0);

        scheduler.ColdStartFailed(new ModelNotReadyException("no room"), 5);

        waiting.Completion.Task.Exception!.InnerException.ShouldBeOfType<ModelNotReadyException>().Message.ShouldBe("no room");
        scheduler.Counters.Failed.ShouldBe(1);
        scheduler.Admit(Request(), 6);
        scheduler.Plan(6).StartColdStart.ShouldBeTrue("the next request may try again");
    }

    [Fact]
    public void ABatchThatReachedARetiredReplicaGoesFirstAgainOverTheReplicasServingNow()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 }, replicas: 3);
        var first = scheduler.Admit(Request(), 0);
        var batch = scheduler.Plan(0).Batches[0];
        var later = scheduler.Admit(Request(), 1);

        var action = scheduler.Failed(batch, new ReplicaRetiredException("retired", 1), 2);

        action.ShouldBe(BatchFailureAction.Requeue);
        first.Retries.ShouldBe(1);
        scheduler.ServingReplicas(2).ShouldBe(1);
        var again = scheduler.Plan(2).Batches;
        again[0].Requests.ShouldBe([first]);
        again[0].Replica.ShouldBe(0);
        again[1].Requests.ShouldBe([later]);
    }

    [Fact]
    public void AFailedBatchOfSeveralRunsEachRequestAloneAndAFailedSingleFailsItsCaller()
    {
        var scheduler = Scheduler(Fixed(1_000));
        var a = scheduler.Admit(Request(), 0);
        var b = scheduler.Admit(Request(), 0);
        var batch = scheduler.Plan(Ms).Batches.ShouldHaveSingleItem();

        scheduler.Failed(batch, new InferenceFailedException("bad row"), Ms).ShouldBe(BatchFailureAction.RunAlone);
        a.IsDone.ShouldBeFalse();
        scheduler.Running.ShouldBe(0);

        var alone = scheduler.Alone(a, Ms);
        scheduler.Failed(alone, new InferenceFailedException("bad row"), Ms).ShouldBe(BatchFailureAction.Fail);
        a.Completion.Task.IsFaulted.ShouldBeTrue();
        b.IsDone.ShouldBeFalse();
        scheduler.Counters.Failed.ShouldBe(1);
    }

    [Fact]
    public void ABatchWhoseSiloWentAwayMovesToTheNextReplicaWithGrowingPausesUntilTheTriesAreSpent()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 }, replicas: 2);
        scheduler.Admit(Request(), 0);
        var replica = scheduler.Plan(0).Batches[0].Replica;
        var start = replica;

        var pauses = new List<TimeSpan>();
        for (var attempt = 0; scheduler.AfterSiloLoss(replica, attempt, 0) is { } next; attempt++)
        {
            pauses.Add(next.Pause);
            next.Replica.ShouldBe((start + attempt + 1) % 2);
            replica = next.Replica;
        }

        pauses.ShouldBe(Enumerable.Range(1, BatchFailurePolicy.MaxSiloLossRetries).Select(n => BatchFailurePolicy.SiloLossPause * n));
        scheduler.Counters.Retried.ShouldBe(BatchFailurePolicy.MaxSiloLossRetries);
        scheduler.Running.ShouldBe(1, "the batch holds one replica's slot wherever it went");
    }

    [Fact]
    public void AHedgedBatchHoldsASecondReplicaUntilTheRunLeftBehindEnds()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 }, replicas: 2);
        scheduler.Admit(Request(), 0);
        var batch = scheduler.Plan(0).Batches[0];
        var silent = batch.Replica;

        var other = scheduler.Hedge(silent, 0).ShouldNotBeNull();

        other.ShouldBe(1 - silent);
        scheduler.Running.ShouldBe(2);
        scheduler.Counters.Retried.ShouldBe(1);
        batch.Replica = other;
        scheduler.Completed(batch, 1, TimeSpan.FromMilliseconds(1), 1);
        scheduler.Running.ShouldBe(1, "the silent replica still has the first run");
        scheduler.Release(silent);
        scheduler.Running.ShouldBe(0);
        Scheduler(Fixed(0), replicas: 1).Hedge(0, 0).ShouldBeNull("no other replica serves");
    }

    [Fact]
    public void TheHedgeDelayRisesAtOnceWithASlowBatchAndFallsBackAsBatchesAreFastAgain()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 });
        scheduler.HedgeAfter.ShouldBe(BatchFailurePolicy.HedgeFloor);

        Complete(scheduler, TimeSpan.FromSeconds(1.5));
        scheduler.HedgeAfter.ShouldBe(TimeSpan.FromSeconds(15));

        for (var i = 0; i < 200; i++) Complete(scheduler, TimeSpan.FromMilliseconds(5));
        scheduler.HedgeAfter.ShouldBe(BatchFailurePolicy.HedgeFloor);

        Complete(scheduler, TimeSpan.FromSeconds(3));
        scheduler.HedgeAfter.ShouldBeNull("a batch that slow leaves the caller's timeout to decide");
    }

    private static void Complete(BatchScheduler scheduler, TimeSpan compute)
    {
        scheduler.Admit(Request(), 0);
        scheduler.Completed(scheduler.Plan(0).Batches.ShouldHaveSingleItem(), 1, compute, 0);
    }

    [Fact]
    public void AdaptiveBatchesGrowWhileComputeIsFastAndKeepTheirLearningOverASameSettingsUpdate()
    {
        var config = Adaptive(targetMs: 100);
        var scheduler = Scheduler(config);
        var start = scheduler.MaxRows;

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < scheduler.MaxRows; i++) scheduler.Admit(Request(), round);
            var batch = scheduler.Plan(round).Batches[0];
            batch.Requests.Count.ShouldBe(scheduler.MaxRows);
            scheduler.Completed(batch, batch.Requests.Count, TimeSpan.FromMilliseconds(1), round);
            scheduler.Plan(round).Batches.ShouldBeEmpty();
        }

        scheduler.MaxRows.ShouldBe(start + 3);
        scheduler.Configure(config with { Monitoring = MonitoringConfig.Default }, 1);
        scheduler.MaxRows.ShouldBe(start + 3);
        scheduler.Configure(Adaptive(targetMs: 50), 1);
        scheduler.MaxRows.ShouldBe(start, "new batching settings start the controller afresh");
    }

    [Fact]
    public void LoadIsTheTimeWeightedMeanOfQueuedAndRunningRequests()
    {
        var scheduler = Scheduler(Fixed(0) with { MaxBatchSize = 1 });
        scheduler.Admit(Request(), 0);
        scheduler.Admit(Request(), 0);
        var step = scheduler.Plan(0);

        foreach (var batch in step.Batches) scheduler.Completed(batch, 1, TimeSpan.Zero, Frequency / 2);

        scheduler.TakeAverageLoad(Frequency).ShouldBe(1.0, "two ongoing for half the second, none for the other half");
    }
}
