using System.Collections.Immutable;
using System.Text;
using Cluster.Models;
using Cluster.Pipelines;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>What a pipeline definition is checked for at load, before it may serve: each mistake refused with a reason that names it.</summary>
public sealed class PipelineValidationTests
{
    private static readonly ModelSignature Classifier = new(
        [new TensorSpec("x", TensorDataType.FP32, [-1, 4])],
        [new TensorSpec("logits", TensorDataType.FP32, [-1, 3]), new TensorSpec("probabilities", TensorDataType.FP32, [-1, 3])]);

    private static readonly ModelSignature Pairs = new(
        [new TensorSpec("x", TensorDataType.FP32, [-1, 2])],
        [new TensorSpec("y", TensorDataType.FP32, [-1, 2])]);

    private static readonly ModelSignature Ints = new(
        [new TensorSpec("x", TensorDataType.Int64, [-1, 4])],
        [new TensorSpec("y", TensorDataType.Int64, [-1, 4])]);

    private static ModelSignature Validate(string json, params (string Step, ModelSignature Signature)[] models) =>
        PipelineValidator.Validate(PipelineJson.Parse(Encoding.UTF8.GetBytes(json)), models.ToDictionary(m => m.Step, m => m.Signature));

    private static string Refused(string json, params (string Step, ModelSignature Signature)[] models) =>
        Should.Throw<InvalidDataException>(() => Validate(json, models)).Message;

    private const string Ensemble = """
        {
          "inputs": ["features"],
          "steps": [
            {"name": "a", "model": "mlp-a", "inputs": {"x": "pipeline.features"}},
            {"name": "b", "model": "mlp-b", "version": 2, "inputs": {"x": "pipeline.features"}},
            {"name": "mean", "combine": "weighted_average", "from": ["a.probabilities", "b.probabilities"], "weights": [1, 3]},
            {"name": "winner", "combine": "vote", "from": ["a.probabilities", "b.probabilities", "mean.output"]}
          ],
          "outputs": {"scores": "mean.output", "label": "winner.output", "raw": "a.logits"}
        }
        """;

    [Fact]
    public void AValidEnsembleGetsItsInputsFromTheModelsItFeedsAndItsOutputsFromTheStepsItSelects()
    {
        var signature = Validate(Ensemble, ("a", Classifier), ("b", Classifier));

        signature.Inputs.Select(i => (i.Name, i.DataType, string.Join(",", i.Shape))).ShouldBe([("features", TensorDataType.FP32, "-1,4")]);
        signature.Outputs.Select(o => (o.Name, o.DataType, string.Join(",", o.Shape))).ShouldBe(
        [
            ("scores", TensorDataType.FP32, "-1,3"),
            ("label", TensorDataType.Int64, "-1"),
            ("raw", TensorDataType.FP32, "-1,3"),
        ]);
    }

    [Fact]
    public void AModelStepKeepsItsVersionOrLabelAsText()
    {
        var definition = PipelineJson.Parse(Encoding.UTF8.GetBytes(Ensemble));

        definition.Steps.OfType<ModelStep>().Select(s => s.Version).ShouldBe([null, "2"]);
    }

    [Fact]
    public void ACycleIsRefusedWithTheStepsOnIt()
    {
        var message = Refused("""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "m", "inputs": {"x": "c.y"}},
              {"name": "b", "model": "m", "inputs": {"x": "a.y"}},
              {"name": "c", "model": "m", "inputs": {"x": "b.y"}},
              {"name": "d", "model": "m", "inputs": {"x": "pipeline.x"}}
            ], "outputs": {"y": "c.y", "z": "d.y"}}
            """, ("a", Pairs), ("b", Pairs), ("c", Pairs), ("d", Pairs));

        message.ShouldContain("cycle: a → c → b → a");
    }

    [Fact]
    public void AStepNoOutputDependsOnIsRefusedAsUnreachable()
    {
        var message = Refused("""
            {"inputs": ["x"], "steps": [
              {"name": "used", "model": "m", "inputs": {"x": "pipeline.x"}},
              {"name": "orphan", "model": "m", "inputs": {"x": "used.y"}}
            ], "outputs": {"y": "used.y"}}
            """, ("used", Pairs), ("orphan", Pairs));

        message.ShouldContain("step 'orphan' is unreachable");
    }

    [Fact]
    public void ADatatypeMismatchBetweenConnectedTensorsIsRefused()
    {
        var message = Refused("""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "mlp", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "ints", "inputs": {"x": "a.logits"}}
            ], "outputs": {"y": "b.y"}}
            """, ("a", Classifier), ("b", Ints));

        message.ShouldContain("step 'b' input 'x' reads 'a.logits'");
        message.ShouldContain("datatype FP32 does not match INT64");
    }

    [Fact]
    public void AShapeMismatchBetweenConnectedTensorsIsRefused()
    {
        var message = Refused("""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "mlp", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "pairs", "inputs": {"x": "a.probabilities"}}
            ], "outputs": {"y": "b.y"}}
            """, ("a", Classifier), ("b", Pairs));

        message.ShouldContain("shape [-1,3] does not match [-1,2] (dimension 1 differs)");
    }

    [Fact]
    public void OnePipelineInputFeedingModelsThatDisagreeIsRefused()
    {
        var message = Refused("""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "mlp", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "pairs", "inputs": {"x": "pipeline.x"}}
            ], "outputs": {"y": "b.y", "z": "a.logits"}}
            """, ("a", Classifier), ("b", Pairs));

        message.ShouldContain("pipeline input 'x' feeds step");
    }

    [Theory]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "nowhere.y"}}], "outputs": {"y": "a.y"}}""", "there is no step 'nowhere'")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.q"}}], "outputs": {"y": "a.y"}}""", "the pipeline has no input 'q'")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "a.nope"}}""", "step 'a' has no output 'nope'")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"w": "pipeline.x"}}], "outputs": {"y": "a.y"}}""", "maps input 'w', which model 'm' does not have")]
    [InlineData("""{"inputs": ["x", "unused"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "a.y"}}""", "input 'unused' is not read by any step")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "a.y"}}""", "two steps are named 'a'")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "c", "combine": "average", "from": ["a.y"]}], "outputs": {"y": "c.output"}}""", "needs at least two tensors")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "c", "combine": "weighted_average", "from": ["a.y", "a.y"], "weights": [1]}], "outputs": {"y": "c.output"}}""", "'weights' has 1 entries for 2 tensors")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "c", "combine": "concat", "from": ["a.y", "a.y"], "axis": 2}], "outputs": {"y": "c.output"}}""", "axis 2 is outside rank 2")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "s", "switch": {"on": "a.y", "argmax_equals": 1.5}, "then": "a.y", "else": "a.y"}], "outputs": {"y": "s.output"}}""", "must be a class index")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "t", "template": "top_k", "from": "a.y", "k": 3}], "outputs": {"y": "t.scores"}}""", "'k' is 3 but a.y has 2 classes")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "t", "template": "top_k", "from": "a.y", "labels": ["a", "b", "c"]}], "outputs": {"y": "t.labels"}}""", "3 labels for 2 classes of a.y")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "t", "template": "top_k", "from": "a.y"}], "outputs": {"y": "t.labels"}}""", "step 't' has no output 'labels'")]
    [InlineData("""{"inputs": ["x", "img"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}, {"name": "n", "template": "normalize", "from": "pipeline.img"}], "outputs": {"y": "a.y", "z": "n.output"}}""", "pipeline input 'img' feeds no model step")]
    [InlineData("""{"inputs": [{"name": "img", "datatype": "UINT8", "shape": [-1, 3, 4, 4]}], "steps": [{"name": "n", "template": "normalize", "from": "pipeline.img", "mean": [0.5, 0.5]}], "outputs": {"z": "n.output"}}""", "'mean' has 2 values for 3 channels")]
    [InlineData("""{"inputs": [{"name": "img", "datatype": "UINT8", "shape": [-1, 3, 4, 4]}], "steps": [{"name": "n", "template": "normalize", "from": "pipeline.img", "channels": [2, 1, 3]}], "outputs": {"z": "n.output"}}""", "'channels' must list channel indices")]
    [InlineData("""{"inputs": [{"name": "x", "datatype": "FP64", "shape": [-1, 2]}], "steps": [{"name": "a", "model": "m", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "a.y"}}""", "datatype FP64 does not match FP32")]
    public void WiringMistakesAreRefusedWithTheirReason(string json, string reason)
    {
        var steps = PipelineJson.Parse(Encoding.UTF8.GetBytes(json)).Steps.OfType<ModelStep>().Select(s => (s.Name, Pairs)).Distinct().ToArray();

        Refused(json, steps).ShouldContain(reason);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "combine": "median", "from": []}], "outputs": {"y": "a.output"}}""", "unknown combine 'median'")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "inputs": {"x": "x"}}], "outputs": {"y": "a.y"}}""", "'x' is not \"source.tensor\"")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a", "model": "m", "input": {}}], "outputs": {"y": "a.y"}}""", "unknown field 'input'")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "a"}], "outputs": {"y": "a.y"}}""", "a step is a model step")]
    [InlineData("""{"inputs": ["x"], "steps": [], "outputs": {}}""", "'outputs' is empty")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "s", "switch": {"on": "a.y"}, "then": "a.y", "else": "a.y"}], "outputs": {"y": "s.output"}}""", "needs a test")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "t", "template": "rotate", "from": "pipeline.x"}], "outputs": {"y": "t.output"}}""", "unknown template 'rotate' (top_k, normalize, decode_image, resize, center_crop, tokenize)")]
    [InlineData("""{"inputs": ["x"], "steps": [{"name": "t", "template": "top_k", "from": "pipeline.x", "k": 0}], "outputs": {"y": "t.scores"}}""", "'k' must be a whole number")]
    public void MalformedDefinitionsAreRefusedWhileParsing(string json, string reason)
    {
        var error = Should.Throw<InvalidDataException>(() => PipelineJson.Parse(Encoding.UTF8.GetBytes(json)));

        error.Message.ShouldStartWith("pipeline.json: ");
        error.Message.ShouldContain(reason);
    }

    [Fact]
    public void UploadedBytesAreADefinitionWhenTheyHoldAJsonObject()
    {
        PipelineLoader.IsDefinition("\uFEFF \n {\"inputs\": []}"u8).ShouldBeTrue();
        PipelineLoader.IsDefinition(Cluster.Modeling.DemoMlp.Build()).ShouldBeFalse();
        PipelineLoader.IsDefinition([]).ShouldBeFalse();
    }

    [Fact]
    public void ASwitchsBranchesMustAgree()
    {
        var message = Refused("""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "mlp", "inputs": {"x": "pipeline.x"}},
              {"name": "s", "switch": {"on": "a.probabilities", "max_below": 0.8}, "then": "a.probabilities", "else": "pipeline.x"}
            ], "outputs": {"y": "s.output"}}
            """, ("a", Classifier));

        message.ShouldContain("'then' (a.probabilities) and 'else' (pipeline.x) must agree");
    }

    [Fact]
    public void ConcatAddsTheKnownSizesAlongItsAxis()
    {
        var signature = Validate("""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "mlp", "inputs": {"x": "pipeline.x"}},
              {"name": "c", "combine": "concat", "from": ["a.logits", "a.probabilities", "pipeline.x"], "axis": 1}
            ], "outputs": {"all": "c.output"}}
            """, ("a", Classifier));

        signature.Outputs.Single().Shape.ShouldBe(ImmutableArray.Create(-1L, 10L));
    }
}
