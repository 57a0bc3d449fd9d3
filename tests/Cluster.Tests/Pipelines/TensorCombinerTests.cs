using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Pipelines;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>The arithmetic of combine and switch steps, on tensors with known values.</summary>
public sealed class TensorCombinerTests
{
    private static readonly TensorData A = TensorData.From<float>("p", [0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f], 2, 3);
    private static readonly TensorData B = TensorData.From<float>("p", [0.5f, 0.1f, 0.4f, 0.2f, 0.2f, 0.6f], 2, 3);
    private static readonly TensorData C = TensorData.From<float>("p", [0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f], 2, 3);

    private static CombineStep Step(CombineMethod method, double[]? weights = null, int axis = -1, int sources = 2) =>
        new("c", method, [.. Enumerable.Range(0, sources).Select(i => new TensorRef($"s{i}", "p"))], [.. weights ?? []], axis);

    [Fact]
    public void AverageIsTheElementWiseMean()
    {
        var result = TensorCombiner.Combine(Step(CombineMethod.Average), [A, B]);

        result.Name.ShouldBe("output");
        result.Shape.ShouldBe(ImmutableArray.Create(2L, 3L));
        result.ToArray<float>().ShouldBe([0.3f, 0.4f, 0.3f, 0.4f, 0.25f, 0.35f], tolerance: 1e-6f);
    }

    [Fact]
    public void WeightedAverageDividesByTheSumOfTheWeights()
    {
        var result = TensorCombiner.Combine(Step(CombineMethod.WeightedAverage, [1, 3]), [A, B]);

        result.ToArray<float>().ShouldBe([0.4f, 0.25f, 0.35f, 0.3f, 0.225f, 0.475f], tolerance: 1e-6f);
    }

    [Fact]
    public void VoteTakesEachRowsMajorityArgmaxAndBreaksTiesTowardTheLowestClass()
    {
        // Row 0: argmaxes 1, 0, 2 (a three-way tie → class 0); row 1: 0, 2, 2 → class 2.
        var result = TensorCombiner.Combine(Step(CombineMethod.Vote, sources: 3), [A, B, C]);

        result.DataType.ShouldBe(TensorDataType.Int64);
        result.ToArray<long>().ShouldBe([0L, 2L]);
    }

    [Fact]
    public void ConcatInterleavesRowsAlongTheLastAxisAndAppendsAlongTheFirst()
    {
        var x = TensorData.From<float>("x", [1f, 2f, 3f, 4f], 2, 2);

        var wide = TensorCombiner.Combine(Step(CombineMethod.Concat, axis: 1), [A, x]);
        var tall = TensorCombiner.Combine(Step(CombineMethod.Concat, axis: 0), [A, B]);

        wide.Shape.ShouldBe(ImmutableArray.Create(2L, 5L));
        wide.ToArray<float>().ShouldBe([0.1f, 0.7f, 0.2f, 1f, 2f, 0.6f, 0.3f, 0.1f, 3f, 4f]);
        tall.Shape.ShouldBe(ImmutableArray.Create(4L, 3L));
        tall.ToArray<float>().ShouldBe([.. A.ToArray<float>(), .. B.ToArray<float>()]);
    }

    [Fact]
    public void TensorsWhoseRealShapesDisagreeFailTheStepByName()
    {
        var oneRow = TensorData.From<float>("p", [0.1f, 0.2f, 0.7f], 1, 3);

        var error = Should.Throw<InferenceFailedException>(() => TensorCombiner.Combine(Step(CombineMethod.Average), [A, oneRow]));

        error.Message.ShouldContain("Step 'c' cannot combine");
    }

    [Theory]
    [InlineData(SwitchTest.MaxBelow, 0.65, false, true)]     // row maxima 0.7 and 0.6: the second row is below
    [InlineData(SwitchTest.MaxBelow, 0.6, false, false)]     // neither is below 0.6
    [InlineData(SwitchTest.MaxBelow, 0.9, true, true)]
    [InlineData(SwitchTest.ArgmaxEquals, 0, false, true)]    // row argmaxes 1 and 0
    [InlineData(SwitchTest.ArgmaxEquals, 1, true, false)]
    [InlineData(SwitchTest.ArgmaxEquals, 2, false, false)]
    public void ASwitchDecidesEachRowByItsOwnScores(SwitchTest test, double value, bool first, bool second)
    {
        var step = new SwitchStep("s", new TensorRef("a", "p"), test, value, new TensorRef("b", "y"), new TensorRef("a", "y"));

        SwitchCondition.Rows(step, A).ShouldBe([first, second]);
    }

    [Fact]
    public void RowsSplitAndMergeBackInRowOrderForNumbersAndBytes()
    {
        var numbers = TensorData.From<long>("n", [0, 1, 10, 11, 20, 21, 30, 31], 4, 2);
        var texts = TensorData.FromStrings("t", ["a", "bb", "", "dddd"], 4);
        int[] odd = [1, 3], even = [0, 2];

        var merged = RowSlicer.Merge(RowSlicer.Take(numbers, odd, 4, "n"), odd, RowSlicer.Take(numbers, even, 4, "n"), even, "s");
        var mergedTexts = RowSlicer.Merge(RowSlicer.Take(texts, even, 4, "t"), even, RowSlicer.Take(texts, odd, 4, "t"), odd, "s");

        RowSlicer.Take(numbers, odd, 4, "n").ToArray<long>().ShouldBe([10L, 11, 30, 31]);
        merged.ToArray<long>().ShouldBe(numbers.ToArray<long>());
        merged.Shape.ShouldBe([4L, 2]);
        mergedTexts.ToStrings().ShouldBe(["a", "bb", "", "dddd"]);
        Should.Throw<Cluster.Errors.InvalidInferenceRequestException>(() => RowSlicer.Take(numbers, odd, 3, "pipeline input 'n'")).Message.ShouldContain("pipeline input 'n' is shaped [4,2], not 3 rows");
    }
}
