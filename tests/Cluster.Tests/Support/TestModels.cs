using Cluster.Modeling;
using Cluster.Tensors;

namespace Cluster.Tests.Support;

/// <summary>Tiny models built in code whose outputs are known exactly.</summary>
public static class TestModels
{
    /// <summary>Datatypes the JSON protocol carries, each served by an identity model.</summary>
    public static readonly TensorDataType[] JsonTypes =
    [
        TensorDataType.Bool, TensorDataType.UInt8, TensorDataType.UInt16, TensorDataType.UInt32, TensorDataType.UInt64,
        TensorDataType.Int8, TensorDataType.Int16, TensorDataType.Int32, TensorDataType.Int64,
        TensorDataType.FP16, TensorDataType.FP32, TensorDataType.FP64,
    ];

    public static string IdentityName(TensorDataType type) => "identity-" + type.ProtocolName().ToLowerInvariant();

    /// <summary>input [-1,3] → Identity → output [-1,3], of the given type.</summary>
    public static byte[] Identity(TensorDataType type) => new OnnxGraphBuilder("identity")
        .Input("input", type, -1, 3)
        .Output("output", type, -1, 3)
        .Node("Identity", ["input"], ["output"])
        .ToBytes();

    /// <summary>A model with a fixed batch dimension: x [1,3] → Relu → y [1,3].</summary>
    public static byte[] FixedBatchRelu() => new OnnxGraphBuilder("fixed")
        .Input("x", TensorDataType.FP32, 1, 3)
        .Output("y", TensorDataType.FP32, 1, 3)
        .Node("Relu", ["x"], ["y"])
        .ToBytes();

    /// <summary>y = x * scale, x FP32 [-1,2]; versions of one model differ by <paramref name="scale"/>.</summary>
    public static byte[] Scale(float scale) => new OnnxGraphBuilder("scale")
        .Input("x", TensorDataType.FP32, -1, 2)
        .Output("y", TensorDataType.FP32, -1, 2)
        .Initializer("s", [scale], 1)
        .Node("Mul", ["x", "s"], ["y"])
        .ToBytes();

    /// <summary>
    /// Echoes x FP32 [-1,-1] as y and reports, in every row of <c>batch</c> [-1,1], how many rows
    /// the batch it ran in had: the way tests see how requests were batched.
    /// </summary>
    public static byte[] BatchProbe() => new OnnxGraphBuilder("probe")
        .Input("x", TensorDataType.FP32, -1, -1)
        .Output("y", TensorDataType.FP32, -1, -1)
        .Output("batch", TensorDataType.FP32, -1, 1)
        .Initializer("zero_index", [0L])
        .Initializer("starts", [0L], 1)
        .Initializer("ends", [1L], 1)
        .Initializer("axes", [1L], 1)
        .Initializer("zero", [0f], 1)
        .Node("Identity", ["x"], ["y"])
        .Node("Shape", ["x"], ["shape"])
        .Node("Gather", ["shape", "zero_index"], ["rows"], ("axis", 0L))
        .Node("Cast", ["rows"], ["rows_f"], ("to", 1L))
        .Node("Slice", ["x", "starts", "ends", "axes"], ["first_column"])
        .Node("Mul", ["first_column", "zero"], ["zeros"])
        .Node("Add", ["zeros", "rows_f"], ["batch"])
        .ToBytes();

    /// <summary>out = table[idx] for idx INT64 [-1,1] with table [10,20,30]; an index out of range makes ONNX Runtime fail.</summary>
    public static byte[] Lookup() => new OnnxGraphBuilder("lookup")
        .Input("idx", TensorDataType.Int64, -1, 1)
        .Output("out", TensorDataType.FP32, -1, 1, 1)
        .Initializer("table", [10f, 20f, 30f], 3, 1)
        .Node("Gather", ["table", "idx"], ["out"], ("axis", 0L))
        .ToBytes();

    /// <summary>y = x · W with x FP32 [-1,1024] and W [1024,8192]: 32 MiB of weights, to see memory come and go.</summary>
    public static byte[] Heavy() => new OnnxGraphBuilder("heavy")
        .Input("x", TensorDataType.FP32, -1, 1024)
        .Output("y", TensorDataType.FP32, -1, 8192)
        .Initializer("w", [.. Enumerable.Range(0, 1024 * 8192).Select(i => (i % 97) / 97f)], 1024, 8192)
        .Node("MatMul", ["x", "w"], ["y"])
        .ToBytes();

    /// <summary>
    /// y = x * scale like <see cref="Scale"/>, x FP32 [-1,2], after <paramref name="layers"/> 1024×1024
    /// matrix products it then discards: the same answers, tens of milliseconds later (a slow canary).
    /// </summary>
    public static byte[] SlowScale(float scale, int layers = 40)
    {
        var builder = new OnnxGraphBuilder("slow")
            .Input("x", TensorDataType.FP32, -1, 2)
            .Output("y", TensorDataType.FP32, -1, 2)
            .Initializer("s", [scale], 1)
            .Initializer("zero", [0f], 1)
            .Initializer("widen", [.. Enumerable.Repeat(0.5f, 2 * 1024)], 2, 1024)
            .Initializer("w", [.. Enumerable.Repeat(1f / 1024, 1024 * 1024)], 1024, 1024)
            .Initializer("narrow", [.. Enumerable.Repeat(1f / 1024, 1024 * 2)], 1024, 2)
            .Node("MatMul", ["x", "widen"], ["h0"]);
        for (var i = 0; i < layers; i++) builder.Node("MatMul", [$"h{i}", "w"], [$"h{i + 1}"]);
        return builder
            .Node("MatMul", [$"h{layers}", "narrow"], ["busy"])
            .Node("Mul", ["busy", "zero"], ["nothing"])
            .Node("Mul", ["x", "s"], ["scaled"])
            .Node("Add", ["scaled", "nothing"], ["y"])
            .ToBytes();
    }

    /// <summary>
    /// y = x * scale, x FP32 [-1,2], that fails (index out of range in ONNX Runtime) for any row
    /// whose first value is 3 or more: an erroring canary.
    /// </summary>
    public static byte[] FailingScale(float scale) => new OnnxGraphBuilder("failing")
        .Input("x", TensorDataType.FP32, -1, 2)
        .Output("y", TensorDataType.FP32, -1, 2)
        .Initializer("s", [scale], 1)
        .Initializer("zero", [0f], 1)
        .Initializer("table", [0f, 0f, 0f], 3)
        .Initializer("starts", [0L], 1)
        .Initializer("ends", [1L], 1)
        .Initializer("axes", [1L], 1)
        .Node("Slice", ["x", "starts", "ends", "axes"], ["first"])
        .Node("Cast", ["first"], ["index"], ("to", 7L))
        .Node("Gather", ["table", "index"], ["looked_up"], ("axis", 0L))
        .Node("Mul", ["looked_up", "zero"], ["nothing"])
        .Node("Mul", ["x", "s"], ["scaled"])
        .Node("Add", ["scaled", "nothing"], ["y"])
        .ToBytes();

    /// <summary>Words <see cref="Strings"/> knows, with their ids; any other text gets id -1.</summary>
    public static readonly string[] Words = ["", "cat", "chien", "poisson 🐟", "Ω≈ç√"];

    /// <summary>Names <see cref="Strings"/> gives the ids of <see cref="Words"/>; id -1 becomes "?".</summary>
    public static readonly string[] Names = ["(empty)", "CAT", "DOG", "FISH", "MATH"];

    /// <summary>
    /// String ops end to end, text BYTES [-1,2] →
    /// <c>echo</c> (Identity, BYTES [-1,2]), <c>ids</c> (LabelEncoder string → INT64: the index in
    /// <see cref="Words"/>, else -1) and <c>names</c> (LabelEncoder INT64 → string over those ids).
    /// </summary>
    public static byte[] Strings() => new OnnxGraphBuilder("strings")
        .Input("text", TensorDataType.Bytes, -1, 2)
        .Output("echo", TensorDataType.Bytes, -1, 2)
        .Output("ids", TensorDataType.Int64, -1, 2)
        .Output("names", TensorDataType.Bytes, -1, 2)
        .Node("Identity", ["text"], ["echo"])
        .MlNode("LabelEncoder", ["text"], ["ids"],
            ("keys_strings", Words), ("values_int64s", Enumerable.Range(0, Words.Length).Select(i => (long)i).ToArray()), ("default_int64", -1L))
        .MlNode("LabelEncoder", ["ids"], ["names"],
            ("keys_int64s", Enumerable.Range(0, Names.Length).Select(i => (long)i).ToArray()), ("values_strings", Names), ("default_string", "?"))
        .ToBytes();

    /// <summary>Bytes that are not an ONNX model.</summary>
    public static byte[] Corrupt() => "this is not an onnx model"u8.ToArray();
}
