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

    /// <summary>Bytes that are not an ONNX model.</summary>
    public static byte[] Corrupt() => "this is not an onnx model"u8.ToArray();
}
