using Cluster.Batching;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class AdaptiveBatchControllerTests
{
    [Fact]
    public void FullFastBatchesGrowTheSizeUpToTheMaximumAndNoFurther()
    {
        var controller = new AdaptiveBatchController(maxBatchRows: 12, TimeSpan.FromMilliseconds(10));

        for (var i = 0; i < 50; i++) controller.OnBatch(controller.MaxBatchRows, TimeSpan.FromMilliseconds(1));

        controller.MaxBatchRows.ShouldBe(12);
    }

    [Fact]
    public void PartialBatchesDoNotGrowTheSize()
    {
        var controller = new AdaptiveBatchController(64, TimeSpan.FromMilliseconds(10));
        var start = controller.MaxBatchRows;

        for (var i = 0; i < 50; i++) controller.OnBatch(1, TimeSpan.FromMilliseconds(1));

        controller.MaxBatchRows.ShouldBe(start);
    }

    [Fact]
    public void SlowBatchesShrinkTheSizeMultiplicativelyUntilComputeFitsHalfTheTarget()
    {
        // Compute grows 1 ms per row; target 10 ms, so batches above 5 rows are too slow.
        var controller = new AdaptiveBatchController(64, TimeSpan.FromMilliseconds(10));
        for (var i = 0; i < 200; i++)
        {
            var rows = controller.MaxBatchRows;
            controller.OnBatch(rows, TimeSpan.FromMilliseconds(rows));
        }

        controller.MaxBatchRows.ShouldBeInRange(3, 5);
    }

    [Fact]
    public void TheObservedP95ComesFromRecentRequests()
    {
        var controller = new AdaptiveBatchController(8, TimeSpan.FromMilliseconds(10));
        for (var i = 1; i <= 100; i++) controller.OnRequest(TimeSpan.FromMilliseconds(i));

        controller.ObservedP95.ShouldBe(TimeSpan.FromMilliseconds(95));
    }
}
