using Cluster.Batching;
using Cluster.Inference;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class BatchAssemblerTests
{
    [Fact]
    public void RequestsAreJoinedAlongDimensionZeroAndSplitBackExactly()
    {
        var first = new InferenceRequest("1", [TensorData.From<float>("x", [1f, 2, 3, 4], 2, 2)], []);
        var second = new InferenceRequest("2", [TensorData.From<float>("x", [5f, 6], 1, 2)], []);

        var batch = BatchAssembler.Join([first, second]);

        batch.RowCounts.ShouldBe([2, 1]);
        batch.Inputs.Single().Shape.ShouldBe([3L, 2L]);
        batch.Inputs.Single().ToArray<float>().ShouldBe([1f, 2, 3, 4, 5, 6]);

        var outputs = TensorData.From<float>("y", [10f, 20, 30], 3);
        var split = BatchAssembler.Split([outputs], batch.RowCounts);

        split[0].Single().ToArray<float>().ShouldBe([10f, 20]);
        split[0].Single().Shape.ShouldBe([2L]);
        split[1].Single().ToArray<float>().ShouldBe([30f]);
    }

    [Fact]
    public void ASingleRequestPassesThroughWithoutACopy()
    {
        var request = new InferenceRequest(null, [TensorData.From<int>("x", [1, 2, 3], 1, 3)], []);

        var batch = BatchAssembler.Join([request]);

        batch.Inputs[0].Data.ShouldBeSameAs(request.Inputs[0].Data);
        batch.RowCounts.ShouldBe([1]);
    }

    [Fact]
    public void RequestsWithDifferentTrailingShapesAreNotJoined()
    {
        var first = new InferenceRequest(null, [TensorData.From<float>("x", [1f, 2], 1, 2)], []);
        var second = new InferenceRequest(null, [TensorData.From<float>("x", [1f, 2, 3], 1, 3)], []);

        Should.Throw<ArgumentException>(() => BatchAssembler.Join([first, second]));
    }

    [Fact]
    public void OutputsThatLoseTheBatchDimensionCannotBeSplit()
    {
        var scalar = TensorData.From<float>("y", [1f], 1);

        Should.Throw<InvalidOperationException>(() => BatchAssembler.Split([scalar], [1, 1]));
    }
}
