using System.Text;
using System.Text.Json;
using Cluster.Tensors;

namespace Cluster.Benchmarks;

/// <summary>A model under test: where its file is, one-row sample inputs, and its batching configs by mode.</summary>
internal sealed class BenchModel
{
    private const int SampleCount = 16;

    public BenchModel(string name, string path, string input, long[] rowShape, Dictionary<string, string> configs, int seed)
    {
        Name = name;
        Path = path;
        Input = input;
        Shape = [1, .. rowShape];
        Configs = configs;
        var random = new Random(seed);
        var length = (int)rowShape.Aggregate(1L, (a, b) => a * b);
        Samples = [.. Enumerable.Range(0, SampleCount).Select(_ => Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray())];
        Tensors = [.. Samples.Select(s => TensorData.From<float>(input, s, Shape))];
        Bodies = [.. Samples.Select(s => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { inputs = new[] { new { name = input, datatype = "FP32", shape = Shape, data = s } } })))];
        WidenedBodies = [.. Samples.Select(s => Encoding.UTF8.GetBytes(
            $"{{\"inputs\": [{{\"name\": \"{input}\", \"datatype\": \"FP32\", \"shape\": [{string.Join(", ", Shape)}], \"data\": {Nested(s, Shape.AsSpan())}}}]}}"))];
        var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            parameters = new { binary_data_output = true },
            inputs = new[] { new { name = input, datatype = "FP32", shape = Shape, parameters = new { binary_data_size = length * 4 } } },
        }));
        BinaryHeaderLength = header.Length;
        BinaryBodies = [.. Samples.Select(s => header.Concat(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.AsSpan()).ToArray()).ToArray())];
    }

    public string Name { get; }
    public string Path { get; }
    public string Input { get; }
    public long[] Shape { get; }

    /// <summary>config.json text per batching mode (off, fixed, adaptive, ...); the served model is named <c>{Name}-{mode}</c>.</summary>
    public Dictionary<string, string> Configs { get; }
    public float[][] Samples { get; }
    public TensorData[] Tensors { get; }
    public byte[][] Bodies { get; }

    /// <summary>The same samples as Python's json writes a float32 array's tolist(): nested, widened to double, 16 or 17 digits a number.</summary>
    public byte[][] WidenedBodies { get; }

    /// <summary>The same samples in the binary tensor data extension: JSON header, then raw floats.</summary>
    public byte[][] BinaryBodies { get; }
    public int BinaryHeaderLength { get; }

    public string Served(string mode) => $"{Name}-{mode}";

    // Python's json.dumps(array.tolist()): nested by the shape, ", " between elements, each float widened to double.
    private static string Nested(ReadOnlySpan<float> values, ReadOnlySpan<long> shape)
    {
        if (shape.Length == 1) return "[" + string.Join(", ", values.ToArray().Select(v => ((double)v).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var step = values.Length / (int)shape[0];
        var parts = new string[shape[0]];
        for (var i = 0; i < parts.Length; i++) parts[i] = Nested(values.Slice(i * step, step), shape[1..]);
        return "[" + string.Join(", ", parts) + "]";
    }
}
