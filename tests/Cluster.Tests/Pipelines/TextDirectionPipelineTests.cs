using Cluster.Modeling;
using Cluster.Onnx;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// The real case end to end: a client sends a JPEG or PNG made here from known pixels as BYTES to a
/// silo process and gets the PaddleOCR classifier's text direction and score, equal to the same
/// pre-processing and model run by ONNX Runtime directly in this process.
/// </summary>
public sealed class TextDirectionPipelineTests(TextDirectionSiloFixture silo) : IClassFixture<TextDirectionSiloFixture>
{
    private static readonly string[] Labels = ["0", "180"];

    private async Task<(string Label, float Score)> Served(byte[] image)
    {
        var response = await silo.Client.InferAsync("text-direction", [TensorData.FromByteStrings("image", [image], 1)]);
        response.Output("label").Shape.ShouldBe([1L, 1]);
        return (response.Output("label").ToStrings().Single(), response.Output("score").ToArray<float>().Single());
    }

    private (string Label, float Score) Classify(float[] x)
    {
        var probabilities = DirectOnnx.RunFloat(silo.ClassifierPath, "x", x, [1, 3, 48, 192]).Values.Single();
        var best = probabilities[1] > probabilities[0] ? 1 : 0;
        return (Labels[best], probabilities[best]);
    }

    [Fact]
    public async Task APngOfTheClassifiersSizeIsAnsweredAsItsKnownPixelsNormalisedByHand()
    {
        var rgb = TestImages.Pixels(48, 192);

        var (label, score) = await Served(TestImages.Png(rgb, 48, 192));

        // Resize to the size it has is the identity, so the classifier's input follows from the pixels alone.
        var bgr = TestImages.ToBgr(rgb);
        var x = new float[3 * 48 * 192];
        for (var c = 0; c < 3; c++)
        for (var i = 0; i < 48 * 192; i++) x[c * 48 * 192 + i] = (bgr[i * 3 + c] / 255f - 0.5f) / 0.5f;
        var expected = Classify(x);
        label.ShouldBe(expected.Label);
        score.ShouldBe(expected.Score, tolerance: 1e-5f);
        score.ShouldBeGreaterThanOrEqualTo(0.5f, "top-1 of two probabilities");
    }

    [Fact]
    public async Task AJpegOfAnotherSizeIsAnsweredAsDirectOnnxRuntimeDecodingResizingAndNormalisingAnswers()
    {
        var rgb = TestImages.Pixels(24, 96);
        var jpeg = TestImages.Jpeg(rgb, 24, 96);

        var (label, score) = await Served(jpeg);

        var pixels = DecodeDirectly(jpeg);
        pixels.Length.ShouldBe(rgb.Length);
        var bgr = TestImages.ToBgr(rgb);
        pixels.Select((v, i) => Math.Abs(v - bgr[i])).Average().ShouldBeLessThan(2.0, "the decoded JPEG is close to the known pixels");
        var expected = Classify(PreprocessDirectly(pixels, 24, 96));
        label.ShouldBe(expected.Label);
        score.ShouldBe(expected.Score, tolerance: 1e-5f);
    }

    private static byte[] DecodeDirectly(byte[] jpeg)
    {
        var graph = new OnnxGraphBuilder("decode")
            .Input("bytes", TensorDataType.UInt8, -1)
            .Output("pixels", TensorDataType.UInt8, -1, -1, 3)
            .CustomNode(OrtExtensions.ExtensionsDomain, "DecodeImage", ["bytes"], ["pixels"])
            .ToBytes();
        using var options = new SessionOptions();
        options.RegisterOrtExtensions();
        using var session = new InferenceSession(graph, options);
        using var input = OrtValue.CreateTensorValueFromMemory(jpeg, [jpeg.Length]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["bytes"], [input], ["pixels"]);
        return results[0].GetTensorDataAsSpan<byte>().ToArray();
    }

    /// <summary>BGR HWC bytes → the classifier's input: one fixed graph (constant sizes), written apart from the served templates.</summary>
    private static float[] PreprocessDirectly(byte[] bgr, int height, int width)
    {
        var graph = new OnnxGraphBuilder("preprocess")
            .Input("hwc", TensorDataType.UInt8, 1, height, width, 3)
            .Output("x", TensorDataType.FP32, 1, 3, 48, 192)
            .Initializer("sizes", [1L, 3, 48, 192], 4)
            .Initializer("scale", [1f / 255], 1)
            .Initializer("half", [0.5f], 1)
            .Node("Cast", ["hwc"], ["float"], ("to", 1L))
            .Node("Transpose", ["float"], ["chw"], ("perm", new long[] { 0, 3, 1, 2 }))
            .Node("Resize", ["chw", "", "", "sizes"], ["resized"], ("mode", "linear"))
            .Node("Mul", ["resized", "scale"], ["unit"])
            .Node("Sub", ["unit", "half"], ["centred"])
            .Node("Div", ["centred", "half"], ["x"])
            .ToBytes();
        using var session = new InferenceSession(graph);
        using var input = OrtValue.CreateTensorValueFromMemory(bgr, [1, height, width, 3]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["hwc"], [input], ["x"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
