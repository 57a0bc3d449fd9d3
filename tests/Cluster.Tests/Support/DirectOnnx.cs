using Cluster.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Tests.Support;

/// <summary>Runs a model with ONNX Runtime directly on CPU: the reference served outputs must equal.</summary>
public static class DirectOnnx
{
    public static Dictionary<string, float[]> RunFloat(string modelPath, string inputName, float[] values, long[] shape)
    {
        using var session = new InferenceSession(modelPath);
        using var input = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var results = session.Run(new RunOptions(), [inputName], [input], session.OutputNames);
        var outputs = new Dictionary<string, float[]>();
        var i = 0;
        foreach (var value in results) outputs[session.OutputNames[i++]] = value.GetTensorDataAsSpan<float>().ToArray();
        return outputs;
    }

    public static float MaxAbsDiff(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) throw new InvalidOperationException($"Lengths differ: {expected.Length} vs {actual.Length}.");
        var max = 0f;
        for (var i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        return max;
    }

    public static TensorData Floats(string name, float[] values, params long[] shape) => TensorData.From<float>(name, values, shape);
}
