using Cluster.Modeling;
using Cluster.Onnx;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// The graphs of the image templates: decode (ONNX Runtime Extensions' DecodeImage), resize and
/// centre crop (standard operators). Each reads <see cref="StepTemplates.Input"/> and writes
/// <see cref="StepTemplates.Normalized"/>, so they chain with <c>normalize</c> like any step.
/// </summary>
internal static class ImageTemplates
{
    /// <summary>One encoded image, UINT8 [bytes] → UINT8 [height, width, 3] in the step's channel order.</summary>
    public static byte[] Decode(TemplateStep step) => new OnnxGraphBuilder($"template_{step.Template}")
        .Input(StepTemplates.Input, TensorDataType.UInt8, -1)
        .Output(StepTemplates.Normalized, TensorDataType.UInt8, -1, -1, 3)
        .CustomNode(OrtExtensions.ExtensionsDomain, "DecodeImage", [StepTemplates.Input], [StepTemplates.Normalized], ("color_space", step.Color))
        .ToBytes();

    /// <summary>
    /// [rows, H, W, C] (or [rows, C, H, W]) of any size → FP32 [rows, C, height, width]: bilinear,
    /// half-pixel centres (as OpenCV's and PIL's resize), no antialiasing. The output is channels
    /// first whatever came in, because that is what <c>normalize</c> and convolutional networks read.
    /// </summary>
    public static byte[] Resize(TemplateStep step, TensorDataType type)
    {
        var builder = new OnnxGraphBuilder($"template_{step.Template}")
            .Input(StepTemplates.Input, type, -1, -1, -1, -1)
            .Output(StepTemplates.Normalized, TensorDataType.FP32, -1, -1, step.Height, step.Width)
            .Initializer("zero", [0L], 1)
            .Initializer("two", [2L], 1)
            .Initializer("size", [(long)step.Height, step.Width], 2);
        var current = StepTemplates.Input;
        if (type != TensorDataType.FP32)
        {
            builder.Node("Cast", [current], ["as_float"], ("to", 1L));
            current = "as_float";
        }
        if (step.Layout == TemplateStep.ChannelsLast)
        {
            builder.Node("Transpose", [current], ["channels_first"], ("perm", new long[] { 0, 3, 1, 2 }));
            current = "channels_first";
        }
        // Resize wants the full output shape: the input's rows and channels, then the target height and width.
        return builder
            .Node("Shape", [current], ["shape"])
            .Node("Slice", ["shape", "zero", "two"], ["rows_channels"])
            .Node("Concat", ["rows_channels", "size"], ["sizes"], ("axis", 0L))
            .Node("Resize", [current, "", "", "sizes"], [StepTemplates.Normalized],
                ("mode", "linear"), ("coordinate_transformation_mode", "half_pixel"))
            .ToBytes();
    }

    /// <summary>[…, H, W] → […, height, width], the window centred in H × W (an odd margin leaves its extra pixel at the end).</summary>
    public static byte[] CenterCrop(TemplateStep step, TensorDataType type, int rank)
    {
        var any = Enumerable.Repeat(-1L, rank).ToArray();
        long[] outputShape = [.. any[..^2], step.Height, step.Width];
        return new OnnxGraphBuilder($"template_{step.Template}")
            .Input(StepTemplates.Input, type, any)
            .Output(StepTemplates.Normalized, type, outputShape)
            .Initializer("hw_axes", [rank - 2L, rank - 1L], 2)
            .Initializer("size", [(long)step.Height, step.Width], 2)
            .Initializer("two", [2L], 1)
            .Node("Shape", [StepTemplates.Input], ["shape"])
            .Node("Gather", ["shape", "hw_axes"], ["hw"], ("axis", 0L))
            .Node("Sub", ["hw", "size"], ["margin"])
            .Node("Div", ["margin", "two"], ["start"])
            .Node("Add", ["start", "size"], ["end"])
            .Node("Slice", [StepTemplates.Input, "start", "end", "hw_axes"], [StepTemplates.Normalized])
            .ToBytes();
    }
}
