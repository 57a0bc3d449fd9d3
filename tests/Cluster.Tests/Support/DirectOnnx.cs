using Cluster.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cluster.Tests.Support;

/// <summary>Runs a model with ONNX Runtime directly on CPU: the reference served outputs must equal.</summary>
public static class DirectOnnx
{
    public static Dictionary<string, float[]> RunFloat(string modelPath, string inputName, float[] values, long[] shape)
    {
        using var session = new InferenceSession(modelPath);
        using var input = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [input], session.OutputNames);
        var outputs = new Dictionary<string, float[]>();
        var i = 0;
        foreach (var value in results) outputs[session.OutputNames[i++]] = value.GetTensorDataAsSpan<float>().ToArray();
        return outputs;
    }

    /// <summary>
    /// Runs a model on a string input through ONNX Runtime's own string API (.NET strings in and
    /// out), a path independent of the served one; string outputs land in Strings, INT64 in Longs.
    /// </summary>
    public static (Dictionary<string, string[]> Strings, Dictionary<string, long[]> Longs) RunStrings(string modelPath, string inputName, string[] values, long[] shape)
    {
        using var session = new InferenceSession(modelPath);
        using var input = OrtValue.CreateFromStringTensor(new DenseTensor<string>(values, [.. shape.Select(d => (int)d)]));
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [input], session.OutputNames);
        var strings = new Dictionary<string, string[]>();
        var longs = new Dictionary<string, long[]>();
        var i = 0;
        foreach (var value in results)
        {
            var name = session.OutputNames[i++];
            if (value.GetTensorTypeAndShape().ElementDataType == TensorElementType.String) strings[name] = value.GetStringTensorAsArray();
            else longs[name] = value.GetTensorDataAsSpan<long>().ToArray();
        }
        return (strings, longs);
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
