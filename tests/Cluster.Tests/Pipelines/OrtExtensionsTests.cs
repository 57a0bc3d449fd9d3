using Cluster.Grains;
using Cluster.Inference;
using Cluster.Modeling;
using Cluster.Onnx;
using Cluster.Tensors;
using Cluster.Tests.Grains;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>ONNX Runtime Extensions' operators are registered on exactly the sessions whose models import their domains.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class OrtExtensionsTests(GrainClusterFixture fixture) : IDisposable
{
    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    private static byte[] Lower() => new OnnxGraphBuilder("lower")
        .Input("text", TensorDataType.Bytes, -1)
        .Output("lowered", TensorDataType.Bytes, -1)
        .CustomNode(OrtExtensions.Domain, "StringLower", ["text"], ["lowered"])
        .ToBytes();

    [Fact]
    public void AModelUsesTheExtensionsWhenItImportsEitherOfTheirDomains()
    {
        OrtExtensions.IsUsedBy(Lower()).ShouldBeTrue();
        OrtExtensions.IsUsedBy(new OnnxGraphBuilder("decode").Input("b", TensorDataType.UInt8, -1).Output("p", TensorDataType.UInt8, -1, -1, 3)
            .CustomNode(OrtExtensions.ExtensionsDomain, "DecodeImage", ["b"], ["p"]).ToBytes()).ShouldBeTrue();
        OrtExtensions.IsUsedBy(PipelineModels.Classifier(1)).ShouldBeFalse();
        // Not a model at all: no, so ONNX Runtime refuses the file with its own reason.
        OrtExtensions.IsUsedBy("this is not an onnx model"u8.ToArray()).ShouldBeFalse();
        OrtExtensions.IsUsedBy([0x0c, 0x0c, 0xff]).ShouldBeFalse();
        OrtExtensions.IsUsedBy(new OnnxGraphBuilder("ml").Input("i", TensorDataType.Int64, -1).Output("o", TensorDataType.Bytes, -1)
            .MlNode("LabelEncoder", ["i"], ["o"], ("keys_int64s", new long[] { 0 }), ("values_strings", new[] { "a" })).ToBytes()).ShouldBeFalse("ai.onnx.ml is ONNX Runtime's own");
    }

    [Fact]
    public async Task AModelOfTheRepositoryWithAnExtensionsOperatorLoadsAndServes()
    {
        var (model, _) = await _bed.AddModel("lower", Lower());

        var response = await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(null, [TensorData.FromStrings("text", ["Hello", "ÉCOLE", "x"], 3)], []), null);

        response.Output("lowered").ToStrings().ShouldBe(["hello", "école", "x"]);
    }
}
