using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Benchmarks;

/// <summary>One PaddleOCR model of the GPU check: its served name, file and the shape of one input row (<c>x</c>, FP32).</summary>
internal sealed record OcrModel(string Name, string Path, int[] RowShape)
{
    /// <summary>The text-direction classifier and the PP-OCRv4 recognizer (dynamic width; 320 is PaddleOCR's default).</summary>
    public static IReadOnlyList<OcrModel> In(string folder) =>
    [
        new("cls", System.IO.Path.Combine(folder, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), [3, 48, 192]),
        new("rec", System.IO.Path.Combine(folder, "ch_PP-OCRv4_rec_infer.onnx"), [3, 48, 320]),
    ];

    public int RowLength => RowShape.Aggregate(1, (a, b) => a * b);

    public long[] Shape(int rows) => [rows, .. RowShape.Select(d => (long)d)];

    /// <summary>A deterministic pseudo-image batch in [0,1).</summary>
    public float[] Sample(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * RowLength];
        for (var i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        return values;
    }

    public ImmutableArray<TensorData> Input(float[] values, int rows) =>
        [TensorData.From<float>("x", values, Shape(rows))];
}
