using Cluster.Tensors;
using Google.Protobuf;
using Onnx;

namespace Cluster.Modeling;

/// <summary>
/// Writes small ONNX models in code: the built-in demo model and exact test models, whose outputs
/// can be computed by hand. A dimension of -1 becomes a symbolic (dynamic) dimension.
/// </summary>
public sealed class OnnxGraphBuilder(string graphName)
{
    /// <summary>The domain of the classic machine-learning operators (LabelEncoder, …).</summary>
    public const string MlDomain = "ai.onnx.ml";


    private readonly GraphProto _graph = new() { Name = graphName };

    /// <summary>Declares a graph input.</summary>
    public OnnxGraphBuilder Input(string name, TensorDataType type, params long[] shape)
    {
        _graph.Input.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Declares a graph output.</summary>
    public OnnxGraphBuilder Output(string name, TensorDataType type, params long[] shape)
    {
        _graph.Output.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Adds a constant FP32 tensor (weights, biases).</summary>
    public OnnxGraphBuilder Initializer(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds a constant INT64 tensor (indices, shapes, axes); no dims makes a scalar.</summary>
    public OnnxGraphBuilder Initializer(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(dims);
        tensor.Int64Data.Add(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds an operator node of the default domain; attributes are integers, floats, strings or lists of integers or strings.</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes) =>
        Node("", opType, inputs, outputs, attributes);

    /// <summary>Adds an operator node of the <see cref="MlDomain"/> domain (opset 2), e.g. LabelEncoder.</summary>
    public OnnxGraphBuilder MlNode(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes) =>
        Node(MlDomain, opType, inputs, outputs, attributes);

    /// <summary>Adds a custom operator of another domain (opset 1), e.g. ONNX Runtime Extensions' DecodeImage in <c>com.microsoft.extensions</c>.</summary>
    public OnnxGraphBuilder CustomNode(string domain, string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes) =>
        Node(domain, opType, inputs, outputs, attributes);

    private OnnxGraphBuilder Node(string domain, string opType, string[] inputs, string[] outputs, (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { Domain = domain, OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>Serializes the model (IR version 8, default domain opset 17, <see cref="MlDomain"/> opset 2 and any custom domain opset 1 when used).</summary>
    public byte[] ToBytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "cluster", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        if (_graph.Node.Any(n => n.Domain == MlDomain)) model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = 2 });
        foreach (var domain in _graph.Node.Select(n => n.Domain).Where(d => d is not ("" or MlDomain)).Distinct()) model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = 1 });
        return model.ToByteArray();
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        string text => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(text) },
        long[] list => WithInts(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints }, list),
        string[] texts => WithStrings(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings }, texts),
        _ => throw new ArgumentException($"Attribute '{name}' has unsupported type {value.GetType().Name}."),
    };

    private static AttributeProto WithInts(AttributeProto attribute, long[] values)
    {
        attribute.Ints.Add(values);
        return attribute;
    }

    private static AttributeProto WithStrings(AttributeProto attribute, string[] values)
    {
        attribute.Strings.Add(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorDataType type, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        for (var i = 0; i < shape.Length; i++)
        {
            tensorShape.Dim.Add(shape[i] < 0
                ? new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "batch" : $"d{i}" }
                : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        }
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)ElementType(type), Shape = tensorShape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private static TensorProto.Types.DataType ElementType(TensorDataType type) => type switch
    {
        TensorDataType.Bool => TensorProto.Types.DataType.Bool,
        TensorDataType.UInt8 => TensorProto.Types.DataType.Uint8,
        TensorDataType.UInt16 => TensorProto.Types.DataType.Uint16,
        TensorDataType.UInt32 => TensorProto.Types.DataType.Uint32,
        TensorDataType.UInt64 => TensorProto.Types.DataType.Uint64,
        TensorDataType.Int8 => TensorProto.Types.DataType.Int8,
        TensorDataType.Int16 => TensorProto.Types.DataType.Int16,
        TensorDataType.Int32 => TensorProto.Types.DataType.Int32,
        TensorDataType.Int64 => TensorProto.Types.DataType.Int64,
        TensorDataType.FP16 => TensorProto.Types.DataType.Float16,
        TensorDataType.FP32 => TensorProto.Types.DataType.Float,
        TensorDataType.FP64 => TensorProto.Types.DataType.Double,
        TensorDataType.Bytes => TensorProto.Types.DataType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No ONNX element type."),
    };
}
