using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Grains;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>The tokenize template (ONNX Runtime Extensions' BertTokenizer over an inline vocabulary) turns texts into BERT inputs.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PipelineTokenizeTests(GrainClusterFixture fixture) : IDisposable
{
    // Ids are positions: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, hello 5, world 6, un 7, ##able 8, ! 9.
    private const string Vocab = """["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "un", "##able", "!"]""";

    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task TextsBecomeWordPieceIdsPaddedOrCutToTheStepsLengthWithTheirMasks()
    {
        var pipeline = PipelineTestBed.Unique("tokenize");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": [{"name": "text", "datatype": "BYTES", "shape": [-1]}], "steps": [
              {"name": "tokens", "template": "tokenize", "from": "pipeline.text", "vocab": {{{Vocab}}}, "max_length": 6}
            ], "outputs": {"input_ids": "tokens.input_ids", "token_type_ids": "tokens.token_type_ids", "attention_mask": "tokens.attention_mask"}}
            """);

        var response = await fixture.Grains.GetGrain<IRouterGrain>(pipeline).Infer(
            new InferenceRequest(null, [TensorData.FromStrings("text", ["Hello unable world!", "hello", "Zebra"], 3)], []), null);

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.Signature!.Outputs.Select(o => string.Join(",", o.Shape)).ShouldBe(["-1,6", "-1,6", "-1,6"]);
        response.Output("input_ids").Shape.ShouldBe([3L, 6]);
        // Row 0 has seven tokens ([CLS] hello un ##able world ! [SEP]): cut to six, still closed by [SEP]; "Zebra" is unknown.
        response.Output("input_ids").ToArray<long>().ShouldBe([2L, 5, 7, 8, 6, 3, 2, 5, 3, 0, 0, 0, 2, 1, 3, 0, 0, 0]);
        response.Output("attention_mask").ToArray<long>().ShouldBe([1L, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
        response.Output("token_type_ids").ToArray<long>().ShouldAllBe(t => t == 0);
    }

    [Fact]
    public async Task AVocabularyWithoutBertsSpecialTokensIsRefusedAtLoad()
    {
        var info = await _bed.AddPipeline(PipelineTestBed.Unique("tokenize"), "1", """
            {"inputs": [{"name": "text", "datatype": "BYTES", "shape": [-1]}], "steps": [
              {"name": "tokens", "template": "tokenize", "from": "pipeline.text", "vocab": ["[PAD]", "[UNK]", "hello"], "max_length": 6}
            ], "outputs": {"ids": "tokens.input_ids"}}
            """);

        info.Status.ShouldBe(VersionStatus.Failed);
        info.Reason.ShouldBe("pipeline.json: step 'tokens': 'vocab' lacks [CLS], [SEP], [MASK].");
    }
}
