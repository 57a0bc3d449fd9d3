using Cluster.Tensors;

namespace Cluster.Modeling;

/// <summary>
/// The model served out of the box: a 4→8→3 classifier (Gemm, Relu, Gemm, Softmax) with fixed,
/// formula-made weights, so anyone can recompute its outputs and check what the cluster served.
/// Input <c>x</c> FP32 [-1,4]; outputs <c>logits</c> and <c>probabilities</c> FP32 [-1,3].
/// </summary>
public static class DemoMlp
{
    /// <summary>Name the model is served under.</summary>
    public const string Name = "demo-mlp";

    /// <summary>Features per row.</summary>
    public const int Inputs = 4;

    /// <summary>Hidden units.</summary>
    public const int Hidden = 8;

    /// <summary>Classes.</summary>
    public const int Classes = 3;

    /// <summary>First layer weights, [Inputs, Hidden] row-major.</summary>
    public static float[] W1 { get; } = Fill(Inputs * Hidden, i => ((i * 7) % 11 - 5) / 4f);

    /// <summary>First layer bias, [Hidden].</summary>
    public static float[] B1 { get; } = Fill(Hidden, i => (i - 3) / 8f);

    /// <summary>Second layer weights, [Hidden, Classes] row-major.</summary>
    public static float[] W2 { get; } = Fill(Hidden * Classes, i => ((i * 5) % 9 - 4) / 3f);

    /// <summary>Second layer bias, [Classes].</summary>
    public static float[] B2 { get; } = [0.5f, -0.25f, 0f];

    /// <summary>The ONNX model bytes.</summary>
    public static byte[] Build() => new OnnxGraphBuilder(Name)
        .Input("x", TensorDataType.FP32, -1, Inputs)
        .Output("logits", TensorDataType.FP32, -1, Classes)
        .Output("probabilities", TensorDataType.FP32, -1, Classes)
        .Initializer("w1", W1, Inputs, Hidden)
        .Initializer("b1", B1, Hidden)
        .Initializer("w2", W2, Hidden, Classes)
        .Initializer("b2", B2, Classes)
        .Node("Gemm", ["x", "w1", "b1"], ["h"])
        .Node("Relu", ["h"], ["hr"])
        .Node("Gemm", ["hr", "w2", "b2"], ["logits"])
        .Node("Softmax", ["logits"], ["probabilities"], ("axis", 1L))
        .ToBytes();

    /// <summary>The same computation in plain C#, the reference that served outputs are checked against.</summary>
    public static (float[] Logits, float[] Probabilities) Compute(float[] x)
    {
        var rows = x.Length / Inputs;
        var logits = new float[rows * Classes];
        var probabilities = new float[rows * Classes];
        for (var r = 0; r < rows; r++)
        {
            var hidden = new float[Hidden];
            for (var h = 0; h < Hidden; h++)
            {
                var sum = B1[h];
                for (var i = 0; i < Inputs; i++) sum += x[r * Inputs + i] * W1[i * Hidden + h];
                hidden[h] = Math.Max(0f, sum);
            }
            for (var c = 0; c < Classes; c++)
            {
                var sum = B2[c];
                for (var h = 0; h < Hidden; h++) sum += hidden[h] * W2[h * Classes + c];
                logits[r * Classes + c] = sum;
            }
            var max = logits.AsSpan(r * Classes, Classes).ToArray().Max();
            var total = 0.0;
            for (var c = 0; c < Classes; c++) total += Math.Exp(logits[r * Classes + c] - max);
            for (var c = 0; c < Classes; c++) probabilities[r * Classes + c] = (float)(Math.Exp(logits[r * Classes + c] - max) / total);
        }
        return (logits, probabilities);
    }

    private static float[] Fill(int length, Func<int, float> value) => [.. Enumerable.Range(0, length).Select(value)];
}
