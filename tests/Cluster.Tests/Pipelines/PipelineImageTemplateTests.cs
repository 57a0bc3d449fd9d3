using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Grains;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// The image templates served by a pipeline in an in-process cluster: decode_image (ONNX Runtime
/// Extensions' DecodeImage) against the pixels the test images were made from, resize and
/// center_crop against the same arithmetic done here.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PipelineImageTemplateTests(GrainClusterFixture fixture) : IDisposable
{
    private const int Height = 24, Width = 96;

    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    private Task<InferenceResponse> Infer(string pipeline, TensorData input) =>
        fixture.Grains.GetGrain<IRouterGrain>(pipeline).Infer(new InferenceRequest(null, [input], []), null);

    private async Task<string> Decoder(string color = "bgr")
    {
        var pipeline = PipelineTestBed.Unique("decode");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [-1]}], "steps": [
              {"name": "decode", "template": "decode_image", "from": "pipeline.image", "color": "{{{color}}}"}
            ], "outputs": {"pixels": "decode.output"}}
            """);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        var pixels = info.Signature!.Outputs.Single();
        (pixels.Name, pixels.DataType, string.Join(",", pixels.Shape)).ShouldBe(("pixels", TensorDataType.UInt8, "-1,-1,-1,3"));
        return pipeline;
    }

    [Fact]
    public async Task DecodeImageGivesAPngsPixelsExactlyAndAJpegsWithinJpegTolerance()
    {
        var rgb = TestImages.Pixels(Height, Width);
        var pipeline = await Decoder();

        var response = await Infer(pipeline, TensorData.FromByteStrings("image", [TestImages.Png(rgb, Height, Width), TestImages.Jpeg(rgb, Height, Width)], 2));

        var pixels = response.Output("pixels");
        pixels.Shape.ShouldBe([2L, Height, Width, 3]);
        var bgr = TestImages.ToBgr(rgb);
        pixels.Data.AsSpan(0, bgr.Length).ToArray().ShouldBe(bgr, "PNG is lossless: row 0 holds the very pixels, in BGR order");
        var jpeg = pixels.Data.AsSpan(bgr.Length).ToArray();
        var errors = jpeg.Select((v, i) => Math.Abs(v - bgr[i])).ToArray();
        errors.Average().ShouldBeLessThan(2.0, "a quality-95 JPEG of smooth gradients stays close on average");
        errors.Max().ShouldBeLessThanOrEqualTo(16, "and nowhere far off");
    }

    [Fact]
    public async Task DecodeImageInRgbKeepsTheImagesChannelOrder()
    {
        var rgb = TestImages.Pixels(Height, Width);

        var response = await Infer(await Decoder("rgb"), TensorData.FromByteStrings("image", [TestImages.Png(rgb, Height, Width)], 1));

        response.Output("pixels").Data.ShouldBe(rgb);
    }

    [Fact]
    public async Task BytesThatAreNoImageOrImagesOfDifferentSizesAreRefusedNamingTheStep()
    {
        var pipeline = await Decoder();
        var png = TestImages.Png(TestImages.Pixels(Height, Width), Height, Width);
        var smaller = TestImages.Png(TestImages.Pixels(Height, Width / 2), Height, Width / 2);

        var garbage = await Should.ThrowAsync<InvalidInferenceRequestException>(() => Infer(pipeline, TensorData.FromByteStrings("image", [png, "not an image"u8.ToArray()], 2)));
        var sizes = await Should.ThrowAsync<InvalidInferenceRequestException>(() => Infer(pipeline, TensorData.FromByteStrings("image", [png, smaller], 2)));

        garbage.Message.ShouldContain($"Pipeline '{pipeline}' step 'decode': image 1 cannot be decoded: it is neither a PNG nor a JPEG");
        sizes.Message.ShouldContain("image 1 is [24,48,3] but image 0 is [24,96,3]");
        (await Infer(pipeline, TensorData.FromByteStrings("image", [png], 1))).Output("pixels").Shape.ShouldBe([1L, Height, Width, 3], "the pipeline keeps serving");
    }

    [Fact]
    public async Task ResizeHalvesAnImageAsTwoByTwoMeansAndCenterCropCutsItsMiddle()
    {
        var pipeline = PipelineTestBed.Unique("resize");
        var info = await _bed.AddPipeline(pipeline, "1", """
            {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [-1, -1, -1, 3]}], "steps": [
              {"name": "half", "template": "resize", "from": "pipeline.pixels", "height": 12, "width": 48},
              {"name": "middle", "template": "center_crop", "from": "half.output", "height": 6, "width": 20}
            ], "outputs": {"half": "half.output", "middle": "middle.output"}}
            """);
        var rgb = TestImages.Pixels(Height, Width);

        var response = await Infer(pipeline, TensorData.From<byte>("pixels", rgb, 1, Height, Width, 3));

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.Signature!.Outputs.Select(o => (o.Name, o.DataType, string.Join(",", o.Shape))).ShouldBe(
            [("half", TensorDataType.FP32, "-1,3,12,48"), ("middle", TensorDataType.FP32, "-1,3,6,20")]);
        // Half-pixel centres at a scale of exactly 1/2 sample between each 2×2 block: bilinear is their mean.
        var half = new float[3 * 12 * 48];
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < 12; y++)
        for (var x = 0; x < 48; x++)
        {
            float At(int yy, int xx) => rgb[(yy * Width + xx) * 3 + c];
            half[(c * 12 + y) * 48 + x] = (At(2 * y, 2 * x) + At(2 * y, 2 * x + 1) + At(2 * y + 1, 2 * x) + At(2 * y + 1, 2 * x + 1)) / 4;
        }
        response.Output("half").Shape.ShouldBe([1L, 3, 12, 48]);
        response.Output("half").ToArray<float>().ShouldBe(half, tolerance: 1e-4f);
        var middle = Enumerable.Range(0, 3 * 6 * 20).Select(i => half[((i / 120) * 12 + 3 + i / 20 % 6) * 48 + 14 + i % 20]).ToArray();
        response.Output("middle").Shape.ShouldBe([1L, 3, 6, 20]);
        response.Output("middle").ToArray<float>().ShouldBe(middle);
    }

    [Fact]
    public async Task ACropLargerThanTheImageIsRefusedAtLoadWhenTheSizeIsKnownAndPerRequestOtherwise()
    {
        var known = await _bed.AddPipeline(PipelineTestBed.Unique("crop"), "1", """
            {"inputs": [{"name": "pixels", "datatype": "FP32", "shape": [-1, 3, 10, 10]}], "steps": [
              {"name": "crop", "template": "center_crop", "from": "pipeline.pixels", "height": 12, "width": 4}
            ], "outputs": {"y": "crop.output"}}
            """);
        var pipeline = PipelineTestBed.Unique("crop");
        await _bed.AddPipeline(pipeline, "1", """
            {"inputs": [{"name": "pixels", "datatype": "FP32", "shape": [-1, 3, -1, -1]}], "steps": [
              {"name": "crop", "template": "center_crop", "from": "pipeline.pixels", "height": 12, "width": 4}
            ], "outputs": {"y": "crop.output"}}
            """);

        var error = await Should.ThrowAsync<InvalidInferenceRequestException>(() => Infer(pipeline, TensorData.From<float>("pixels", new float[3 * 10 * 10], 1, 3, 10, 10)));

        known.Status.ShouldBe(VersionStatus.Failed);
        known.Reason.ShouldBe("pipeline: step 'crop': pipeline.pixels is 10×10, smaller than the 12×4 crop.");
        error.Message.ShouldContain("step 'crop': the image is 10×10, smaller than the 12×4 crop");
    }

    [Fact]
    public async Task DamagedJpegsAndPngsAreRefusedOneByOneAndNeverTakeTheProcessDown()
    {
        // libjpeg ends the process on a fatal error, so a damaged JPEG that slipped past the check would end this test run.
        var pipeline = await Decoder();
        var rgb = TestImages.Pixels(8, 16);
        var jpeg = TestImages.Jpeg(rgb, 8, 16);
        var png = TestImages.Png(rgb, 8, 16);
        var damaged = new List<byte[]>();
        for (var length = 0; length < jpeg.Length; length += 7) damaged.Add(jpeg[..length]);
        for (var length = 1; length < png.Length; length += 5) damaged.Add(png[..length]);
        var random = new Random(23);
        for (var i = 0; i < 300; i++)
        {
            var copy = (byte[])jpeg.Clone();
            copy[random.Next(2, copy.Length)] = (byte)random.Next(256);
            damaged.Add(copy);
        }

        var truncated = damaged.Count(d => d.Length < jpeg.Length && d.AsSpan().SequenceEqual(jpeg.AsSpan(0, d.Length)));
        var refused = new List<int>();
        for (var i = 0; i < damaged.Count; i++)
        {
            try
            {
                (await Infer(pipeline, TensorData.FromByteStrings("image", [damaged[i]], 1))).Output("pixels").Shape[0].ShouldBe(1L);
            }
            catch (InvalidInferenceRequestException ex)
            {
                ex.Message.ShouldContain("step 'decode': image 0 ");
                refused.Add(i);
            }
        }

        // A changed byte in the entropy-coded data still decodes (to other pixels), as may a PNG without its end chunk; every truncated JPEG is refused.
        refused.Count(i => i < truncated).ShouldBe(truncated);
        refused.Count.ShouldBeGreaterThan(truncated);
        (await Infer(pipeline, TensorData.FromByteStrings("image", [jpeg], 1))).Output("pixels").Shape.ShouldBe([1L, 8, 16, 3]);
    }
}
