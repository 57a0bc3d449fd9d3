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

    /// <summary>The graph of <paramref name="step"/>.</summary>
    public static byte[] Build(TemplateStep step)
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
