using Cluster.Modeling;
using Cluster.Tensors;

namespace Cluster.Tests.Pipelines;

/// <summary>Tiny classifiers with known weights for pipeline tests: x FP32 [-1,4] → logits and probabilities [-1,3].</summary>
public static class PipelineModels
{
    /// <summary>A linear classifier (Gemm then Softmax) whose weights follow <paramref name="seed"/>: different seeds disagree on some inputs.</summary>
    public static byte[] Classifier(int seed) => new OnnxGraphBuilder($"classifier{seed}")
        .Input("x", TensorDataType.FP32, -1, 4)
        .Output("logits", TensorDataType.FP32, -1, 3)
        .Output("probabilities", TensorDataType.FP32, -1, 3)
        .Initializer("w", [.. Enumerable.Range(0, 12).Select(i => ((i * (3 + 2 * seed)) % 7 - 3) / 2f)], 4, 3)
        .Initializer("b", [0.1f * seed, 0f, -0.1f * seed], 3)
        .Node("Gemm", ["x", "w", "b"], ["logits"])
        .Node("Softmax", ["logits"], ["probabilities"], ("axis", 1L))
        .ToBytes();
}
