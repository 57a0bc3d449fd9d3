using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Grains;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>Built-in post-processing steps (ONNX graphs run inside the pipeline grain) on a classifier's scores, against ONNX Runtime run directly.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PipelineTemplateTests(GrainClusterFixture fixture) : IDisposable
{
    private static readonly string[] Classes = ["cat", "dog", "fish"];

    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task TopKWithClassNamesReturnsTheLargestScoresTheirIndicesAndTheirNames()
    {
        var (classifier, path) = await _bed.AddModel("classifier", PipelineModels.Classifier(2));
        var pipeline = PipelineTestBed.Unique("labelled");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "model", "model": "{{{classifier}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "top", "template": "top_k", "from": "model.probabilities", "k": 2, "labels": ["cat", "dog", "fish"]}
            ], "outputs": {"score": "top.scores", "class": "top.indices", "label": "top.labels"}}
            """);
        float[] x = [1f, -2f, 0.5f, 3f, -1f, 0.25f, 2f, -0.5f, 0.3f, 0.3f, -4f, 1f];

        var response = await _bed.Infer(pipeline, "x", x, 4);

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.Signature!.Outputs.Select(o => (o.Name, o.DataType)).ShouldBe([("score", TensorDataType.FP32), ("class", TensorDataType.Int64), ("label", TensorDataType.Bytes)]);
        var probabilities = DirectOnnx.RunFloat(path, "x", x, [3, 4])["probabilities"];
        var ranked = Enumerable.Range(0, 3).Select(row => Enumerable.Range(0, 3).OrderByDescending(c => probabilities[row * 3 + c]).ThenBy(c => c).Take(2).ToArray()).ToArray();
        response.Output("class").ToArray<long>().ShouldBe([.. ranked.SelectMany(r => r.Select(c => (long)c))]);
        response.Output("score").ToArray<float>().ShouldBe([.. ranked.SelectMany((r, row) => r.Select(c => probabilities[row * 3 + c]))]);
        response.Output("label").ToStrings().ShouldBe([.. ranked.SelectMany(r => r.Select(c => Classes[c]))]);
        response.Output("label").Shape.ShouldBe([3L, 2L]);
    }

    [Fact]
    public async Task NormalizeReordersChannelsScalesAndStandardisesRawPixelsBeforeTheModel()
    {
        var (identity, _) = await _bed.AddModel("images", new Cluster.Modeling.OnnxGraphBuilder("images")
            .Input("pixels", TensorDataType.FP32, -1, 3, 2, 2)
            .Output("same", TensorDataType.FP32, -1, 3, 2, 2)
            .Node("Identity", ["pixels"], ["same"])
            .ToBytes());
        var pipeline = PipelineTestBed.Unique("preprocess");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": [{"name": "image", "datatype": "UINT8", "shape": [-1, 3, 2, 2]}], "steps": [
              {"name": "norm", "template": "normalize", "from": "pipeline.image", "channels": [2, 1, 0],
               "scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
              {"name": "model", "model": "{{{identity}}}", "inputs": {"pixels": "norm.output"}}
            ], "outputs": {"pixels": "model.same"}}
            """);
        byte[] image = [.. Enumerable.Range(0, 12).Select(i => (byte)(i * 21))];

        var response = await fixture.Grains.GetGrain<Cluster.Grains.IRouterGrain>(pipeline)
            .Infer(new Cluster.Inference.InferenceRequest(null, [TensorData.From<byte>("image", image, 1, 3, 2, 2)], []), null);

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.Signature!.Inputs.Single().DataType.ShouldBe(TensorDataType.UInt8);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        int[] order = [2, 1, 0];
        var expected = Enumerable.Range(0, 12).Select(i => (image[order[i / 4] * 4 + i % 4] * (float)(1 / 255.0) - mean[i / 4]) / std[i / 4]).ToArray();
        response.Output("pixels").ToArray<float>().ShouldBe(expected, tolerance: 1e-5f);
    }
}
