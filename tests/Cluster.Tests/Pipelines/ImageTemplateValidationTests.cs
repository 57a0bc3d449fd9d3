using System.Collections.Immutable;
using System.Text;
using Cluster.Models;
using Cluster.Pipelines;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>What image template steps are checked for at load: their fields and the tensors they read.</summary>
public sealed class ImageTemplateValidationTests
{
    private static ModelSignature Validate(string input, string step) => PipelineValidator.Validate(
        PipelineJson.Parse(Encoding.UTF8.GetBytes($$$"""{"inputs": [{{{input}}}], "steps": [{{{step}}}], "outputs": {"y": "s.output"}}""")),
        ImmutableDictionary<string, ModelSignature>.Empty);

    private static string Refused(string input, string step) => Should.Throw<InvalidDataException>(() => Validate(input, step)).Message;

    private const string Bytes = """{"name": "i", "datatype": "BYTES", "shape": [-1]}""";
    private const string Pixels = """{"name": "i", "datatype": "UINT8", "shape": [-1, 32, 64, 3]}""";
    private const string Planes = """{"name": "i", "datatype": "FP32", "shape": [-1, 3, 32, 64]}""";

    [Fact]
    public void EachImageTemplateStatesWhatItReturns()
    {
        static string Output(ModelSignature s) => $"{s.Outputs[0].DataType.ProtocolName()} {string.Join(",", s.Outputs[0].Shape)}";

        Output(Validate(Bytes, """{"name": "s", "template": "decode_image", "from": "pipeline.i"}""")).ShouldBe("UINT8 -1,-1,-1,3");
        Output(Validate(Pixels, """{"name": "s", "template": "resize", "from": "pipeline.i", "height": 16, "width": 8}""")).ShouldBe("FP32 -1,3,16,8");
        Output(Validate(Planes, """{"name": "s", "template": "resize", "from": "pipeline.i", "height": 16, "width": 8, "layout": "NCHW"}""")).ShouldBe("FP32 -1,3,16,8");
        Output(Validate(Planes, """{"name": "s", "template": "center_crop", "from": "pipeline.i", "height": 32, "width": 30}""")).ShouldBe("FP32 -1,3,32,30");
    }

    [Theory]
    [InlineData(Pixels, """{"name": "s", "template": "decode_image", "from": "pipeline.i"}""", "'decode_image' reads BYTES shaped [rows] (one JPEG or PNG per row), not UINT8 [-1,32,64,3]")]
    [InlineData(Bytes, """{"name": "s", "template": "decode_image", "from": "pipeline.i", "color": "yuv"}""", "'color' is 'bgr' or 'rgb', not 'yuv'")]
    [InlineData(Bytes, """{"name": "s", "template": "resize", "from": "pipeline.i", "height": 16, "width": 8}""", "'resize' reads UINT8 or FP32 images")]
    [InlineData(Pixels, """{"name": "s", "template": "resize", "from": "pipeline.i", "width": 8}""", "step 's' has no 'height'")]
    [InlineData(Pixels, """{"name": "s", "template": "resize", "from": "pipeline.i", "height": 0, "width": 8}""", "'height' must be a whole number from 1 to 65536")]
    [InlineData(Pixels, """{"name": "s", "template": "resize", "from": "pipeline.i", "height": 4, "width": 8, "layout": "HWC"}""", "'layout' is 'NHWC' or 'NCHW', not 'HWC'")]
    [InlineData(Pixels, """{"name": "s", "template": "center_crop", "from": "pipeline.i", "height": 4, "width": 8, "layout": "NCHW"}""", "unknown field 'layout'")]
    [InlineData(Planes, """{"name": "s", "template": "center_crop", "from": "pipeline.i", "height": 33, "width": 8}""", "pipeline.i is 32×64, smaller than the 33×8 crop")]
    public void AMistakeInAnImageStepIsRefusedNamingIt(string input, string step, string reason)
    {
        Refused(input, step).ShouldContain(reason);
    }
}
