using Cluster.Errors;
using Cluster.Modeling;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.EndToEnd;

public sealed class ClientTests(ServingFixture serving)
{
    [Fact]
    public async Task ClientInferenceOnTheDemoModelEqualsDirectOnnxRuntime()
    {
        float[] x = [0.1f, 0.2f, 0.3f, 0.4f, -5, 4, -3, 2];

        var response = await serving.Client.InferAsync(DemoMlp.Name, [TensorData.From<float>("x", x, 2, 4)], id: "c-1");

        response.Id.ShouldBe("c-1");
        response.ModelVersion.ShouldBe("1");
        var direct = DirectOnnx.RunFloat(serving.DemoPath, "x", x, [2, 4]);
        DirectOnnx.MaxAbsDiff(direct["logits"], response.Output("logits").ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
        DirectOnnx.MaxAbsDiff(direct["probabilities"], response.Output("probabilities").ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
        response.Output("probabilities").Shape.ShouldBe([2L, 3L]);
    }

    [Fact]
    public async Task ClientInferenceOnThePaddleOcrClassifierEqualsDirectOnnxRuntime()
    {
        const int rows = 3;
        var x = PaddleOcrClassifier.SampleInput(rows, seed: 11);
        long[] shape = [rows, PaddleOcrClassifier.Channels, PaddleOcrClassifier.Height, PaddleOcrClassifier.Width];

        var response = await serving.Client.InferAsync("paddle-cls", [TensorData.From<float>("x", x, shape)]);

        var direct = DirectOnnx.RunFloat(serving.PaddlePath, "x", x, shape).Values.Single();
        DirectOnnx.MaxAbsDiff(direct, response.Outputs[0].ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
    }

    [Fact]
    public async Task ClientListsModelsAndDescribesOne()
    {
        var models = await serving.Client.ListModelsAsync();
        var demo = await serving.Client.GetModelAsync(DemoMlp.Name);

        models.ShouldContain(DemoMlp.Name);
        models.ShouldContain("paddle-cls");
        models.ShouldBe(models.Order(StringComparer.Ordinal));
        demo.DefaultVersion.ShouldBe("1");
        var version = demo.Versions.Single();
        version.Status.ShouldBe(VersionStatus.Ready);
        version.Signature!.Inputs.Single().Shape.ShouldBe([-1L, 4L]);
        version.Signature.Outputs.Select(o => o.Name).ShouldBe(["logits", "probabilities"]);
    }

    [Fact]
    public async Task ClientErrorsAreTyped()
    {
        var good = TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4);

        await Should.ThrowAsync<ModelNotFoundException>(() => serving.Client.InferAsync("no-such-model", [good]));
        await Should.ThrowAsync<ModelNotFoundException>(() => serving.Client.InferAsync(DemoMlp.Name, [good], version: "42"));
        await Should.ThrowAsync<ModelNotFoundException>(() => serving.Client.GetModelAsync("no-such-model"));
        var invalid = await Should.ThrowAsync<InvalidInferenceRequestException>(
            () => serving.Client.InferAsync(DemoMlp.Name, [TensorData.From<float>("x", [1f, 2, 3], 1, 3)]));
        invalid.Message.ShouldContain("[1,3]");
        await Should.ThrowAsync<ModelNotReadyException>(() => serving.Client.InferAsync("broken", [good]));
        (await serving.Client.InferAsync(DemoMlp.Name, [good])).Outputs.Length.ShouldBe(2);
    }
}
