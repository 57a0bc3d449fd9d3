using Cluster.Modeling;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>The ONNX graphs of built-in template steps, made of standard operators (and ai.onnx.ml's LabelEncoder).</summary>
public static class StepTemplates
{
    /// <summary>The input name of every template graph.</summary>
    public const string Input = "scores_in";

    /// <summary>Top-k scores, FP32 [rows, k], largest first.</summary>
    public const string Scores = "scores";

    /// <summary>Their class indices, INT64 [rows, k].</summary>
    public const string Indices = "indices";

    /// <summary>Their class names, BYTES [rows, k] (unknown indices read "?").</summary>
    public const string LabelsOutput = "labels";

    /// <summary>Output of a normalize step.</summary>
    public const string Normalized = CombineStep.OutputName;

    /// <summary>
    /// The graph of <paramref name="step"/> for an input of <paramref name="type"/> and <paramref name="rank"/>.
    /// A decode step's graph reads one encoded image as UINT8 [bytes]: ONNX has no operator that turns
    /// a string into its bytes, so the step runs it once per image (<see cref="TemplateSessions"/>).
    /// </summary>
    public static byte[] Build(TemplateStep step, TensorDataType type, int rank) => step.Template switch
    {
        TemplateStep.Normalize => Normalize(step, type, rank),
        TemplateStep.DecodeImage => ImageTemplates.Decode(step),
        TemplateStep.Resize => ImageTemplates.Resize(step, type),
        TemplateStep.CenterCrop => ImageTemplates.CenterCrop(step, type, rank),
        TemplateStep.Tokenize => Tokenizer.Graph(step),
        _ => TopK(step),
    };

    private static byte[] Normalize(TemplateStep step, TensorDataType type, int rank)
    {
        var any = Enumerable.Repeat(-1L, rank).ToArray();
        // Per-channel constants shaped [C, 1, ...] broadcast over [rows, C, ...].
        long[] PerChannel(int count) => [count, .. Enumerable.Repeat(1L, rank - 2)];
        var builder = new OnnxGraphBuilder($"template_{step.Template}")
            .Input(Input, type, any)
            .Output(Normalized, TensorDataType.FP32, any)
            .Initializer("scale", [(float)step.Scale], 1)
            .Initializer("mean", [.. step.Mean.Select(v => (float)v)], PerChannel(step.Mean.Length))
            .Initializer("std", [.. step.Std.Select(v => (float)v)], PerChannel(step.Std.Length));
        var current = Input;
        if (type != TensorDataType.FP32)
        {
            builder.Node("Cast", [current], ["as_float"], ("to", 1L));
            current = "as_float";
        }
        if (!step.Channels.IsEmpty)
        {
            builder.Initializer("order", [.. step.Channels], step.Channels.Length)
                .Node("Gather", [current, "order"], ["reordered"], ("axis", 1L));
            current = "reordered";
        }
        return builder
            .Node("Mul", [current, "scale"], ["scaled"])
            .Node("Sub", ["scaled", "mean"], ["centred"])
            .Node("Div", ["centred", "std"], [Normalized])
            .ToBytes();
    }

    private static byte[] TopK(TemplateStep step)
    {
        var builder = new OnnxGraphBuilder($"template_{step.Template}")
            .Input(Input, TensorDataType.FP32, -1, -1)
            .Output(Scores, TensorDataType.FP32, -1, step.K)
            .Output(Indices, TensorDataType.Int64, -1, step.K)
            .Initializer("k", [(long)step.K], 1)
            .Node("TopK", [Input, "k"], [Scores, Indices], ("axis", -1L), ("largest", 1L), ("sorted", 1L));
        if (!step.Labels.IsEmpty)
        {
            builder.Output(LabelsOutput, TensorDataType.Bytes, -1, step.K)
                .MlNode("LabelEncoder", [Indices], [LabelsOutput],
                    ("keys_int64s", Enumerable.Range(0, step.Labels.Length).Select(i => (long)i).ToArray()), ("values_strings", step.Labels.ToArray()), ("default_string", "?"));
        }
        return builder.ToBytes();
    }
}
