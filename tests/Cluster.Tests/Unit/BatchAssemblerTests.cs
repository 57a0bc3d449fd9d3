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

    [Fact]
    public void BytesRowsOfDifferentLengthsAreJoinedAndSplitBackExactly()
    {
        var first = new InferenceRequest("1", [TensorData.FromStrings("t", ["a", "", "longer text", "é"], 2, 2)], []);
        var second = new InferenceRequest("2", [TensorData.FromStrings("t", ["🐟", "x"], 1, 2)], []);
        var third = new InferenceRequest("3", [TensorData.FromStrings("t", ["", "", "yy", "z", "", "w"], 3, 2)], []);

        var batch = BatchAssembler.Join([first, second, third]);

        batch.RowCounts.ShouldBe([2, 1, 3]);
        batch.Inputs.Single().Shape.ShouldBe([6L, 2L]);
        batch.Inputs.Single().ToStrings().ShouldBe(["a", "", "longer text", "é", "🐟", "x", "", "", "yy", "z", "", "w"]);

        // A BYTES output whose rows differ in length from the input's, beside a fixed-size one.
        var echoed = TensorData.FromStrings("upper", ["A", "", "LONGER TEXT", "É", "🐟🐟", "X", "", "", "YY", "Z", "", "W"], 6, 2);
        var ids = TensorData.From<long>("ids", [1L, 2, 3, 4, 5, 6], 6);
        var split = BatchAssembler.Split([echoed, ids], batch.RowCounts);

        split[0][0].ToStrings().ShouldBe(["A", "", "LONGER TEXT", "É"]);
        split[0][0].Shape.ShouldBe([2L, 2L]);
        split[1][0].ToStrings().ShouldBe(["🐟🐟", "X"]);
        split[2][0].ToStrings().ShouldBe(["", "", "YY", "Z", "", "W"]);
        split[2][0].Shape.ShouldBe([3L, 2L]);
        split[1][1].ToArray<long>().ShouldBe([3L]);
        split[2][1].ToArray<long>().ShouldBe([4L, 5, 6]);
    }

    [Fact]
    public void BytesAndNumbersWithOneNameAreNotJoined()
    {
        var text = new InferenceRequest(null, [TensorData.FromStrings("x", ["1", "2"], 1, 2)], []);
        var numbers = new InferenceRequest(null, [TensorData.From<float>("x", [1f, 2], 1, 2)], []);

        Should.Throw<ArgumentException>(() => BatchAssembler.Join([text, numbers]));
    }
}
