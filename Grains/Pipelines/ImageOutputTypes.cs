using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>What an image template step puts out, given what it reads; throws when it cannot read that.</summary>
internal static class ImageOutputTypes
{
    /// <summary>The output spec of a decode_image, resize or center_crop step reading <paramref name="input"/>.</summary>
    public static TensorSpec Of(TemplateStep step, TensorSpec input, string where) => step.Template switch
    {
        TemplateStep.DecodeImage => Decode(step, input, where),
        TemplateStep.Resize => Resize(step, input, where),
        _ => CenterCrop(step, input, where),
    };

    private static TensorSpec Decode(TemplateStep step, TensorSpec input, string where)
    {
        // One encoded image per row: [rows], or [rows, 1] as clients that send a column of strings shape it.
        if (input.DataType != TensorDataType.Bytes || !(input.Shape.Length == 1 || (input.Shape.Length == 2 && input.Shape[1] is 1 or -1)))
        {
            throw PipelineValidator.Invalid($"{where}: '{step.Template}' reads BYTES shaped [rows] (one JPEG or PNG per row), not {Describe(input)}");
        }
        return new TensorSpec(StepTemplates.Normalized, TensorDataType.UInt8, [input.Shape[0], -1, -1, 3]);
    }

    private static TensorSpec Resize(TemplateStep step, TensorSpec input, string where)
    {
        if (input.DataType is not (TensorDataType.UInt8 or TensorDataType.FP32) || input.Shape.Length != 4)
        {
            throw PipelineValidator.Invalid($"{where}: 'resize' reads UINT8 or FP32 images shaped [rows, height, width, channels] (layout NHWC) or [rows, channels, height, width] (NCHW), not {Describe(input)}");
        }
        var channels = step.Layout == TemplateStep.ChannelsLast ? input.Shape[3] : input.Shape[1];
        return new TensorSpec(StepTemplates.Normalized, TensorDataType.FP32, [input.Shape[0], channels, step.Height, step.Width]);
    }

    private static TensorSpec CenterCrop(TemplateStep step, TensorSpec input, string where)
    {
        if (input.DataType is not (TensorDataType.UInt8 or TensorDataType.FP32) || input.Shape.Length < 3)
        {
            throw PipelineValidator.Invalid($"{where}: 'center_crop' reads UINT8 or FP32 images shaped [rows, channels, height, width], not {Describe(input)}");
        }
        var (height, width) = (input.Shape[^2], input.Shape[^1]);
        if ((height >= 0 && height < step.Height) || (width >= 0 && width < step.Width))
        {
            throw PipelineValidator.Invalid($"{where}: {step.From} is {height}×{width}, smaller than the {step.Height}×{step.Width} crop");
        }
        return new TensorSpec(StepTemplates.Normalized, input.DataType, [.. input.Shape[..^2], step.Height, step.Width]);
    }

    private static string Describe(TensorSpec spec) => $"{spec.DataType.ProtocolName()} {ShapeMath.Format(spec.Shape.AsSpan())}";
}
