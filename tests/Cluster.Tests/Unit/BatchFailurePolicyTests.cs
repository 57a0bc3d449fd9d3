using Cluster.Batching;
using Cluster.Errors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class BatchFailurePolicyTests
{
    [Fact]
    public void ASiloLossIsRetriedOnTheNextReplicaWithGrowingPausesUntilTheTriesAreSpent()
    {
        BatchFailurePolicy.AfterSiloLoss(0, replica: 1, servingReplicas: 3).ShouldBe((2, TimeSpan.FromMilliseconds(100)));
        BatchFailurePolicy.AfterSiloLoss(1, replica: 2, servingReplicas: 3).ShouldBe((0, TimeSpan.FromMilliseconds(200)));
        BatchFailurePolicy.AfterSiloLoss(2, replica: 0, servingReplicas: 1).ShouldBe((0, TimeSpan.FromMilliseconds(300)), "one replica: the same one, re-activated elsewhere");
        BatchFailurePolicy.AfterSiloLoss(BatchFailurePolicy.MaxSiloLossRetries, replica: 0, servingReplicas: 2).ShouldBeNull();
    }

    [Fact]
    public void ARetiredReplicaSendsTheBatchRoundAgainButNeverForEver()
    {
        var retired = new ReplicaRetiredException("retired", 1);

        BatchFailurePolicy.Decide(retired, batchSize: 4, mostRetries: 0).ShouldBe(BatchFailureAction.Requeue);
        BatchFailurePolicy.Decide(retired, batchSize: 4, mostRetries: BatchFailurePolicy.MaxRetiredRetries).ShouldBe(BatchFailureAction.Fail);
    }

    [Fact]
    public void AModelFailureRunsASharedBatchOneRequestAtATimeAndFailsALoneOne()
    {
        var failed = new InferenceFailedException("bad input");

        BatchFailurePolicy.Decide(failed, batchSize: 3, mostRetries: 0).ShouldBe(BatchFailureAction.RunAlone);
        BatchFailurePolicy.Decide(failed, batchSize: 1, mostRetries: 0).ShouldBe(BatchFailureAction.Fail);
        BatchFailurePolicy.Decide(new DeadlineExceededException("late"), batchSize: 3, mostRetries: 0).ShouldBe(BatchFailureAction.Fail);
    }

    [Fact]
    public void ASilentReplicaIsHedgedAfterTenTimesTheSlowestRecentComputeButNotBeforeTheFloorNorPastTheCeiling()
    {
        BatchFailurePolicy.HedgeAfter(TimeSpan.Zero).ShouldBe(BatchFailurePolicy.HedgeFloor);
        BatchFailurePolicy.HedgeAfter(TimeSpan.FromMilliseconds(40)).ShouldBe(BatchFailurePolicy.HedgeFloor);
        BatchFailurePolicy.HedgeAfter(TimeSpan.FromSeconds(1.5)).ShouldBe(TimeSpan.FromSeconds(15));
        BatchFailurePolicy.HedgeAfter(TimeSpan.FromSeconds(2)).ShouldBe(BatchFailurePolicy.HedgeCeiling);
        BatchFailurePolicy.HedgeAfter(TimeSpan.FromSeconds(2.5)).ShouldBeNull("a hedge then would answer after the caller gave up");
    }
}
