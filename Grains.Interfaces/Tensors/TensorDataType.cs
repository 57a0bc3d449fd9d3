namespace Cluster.Tensors;

/// <summary>Element types of the KServe Open Inference Protocol v2.</summary>
[GenerateSerializer, Alias("Cluster.TensorDataType")]
public enum TensorDataType
{
    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    Bool,
    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64,
    /// <summary>Signed 8-bit integer.</summary>
    Int8,
    /// <summary>Signed 16-bit integer.</summary>
    Int16,
    /// <summary>Signed 32-bit integer.</summary>
    Int32,
    /// <summary>Signed 64-bit integer.</summary>
    Int64,
    /// <summary>IEEE 754 half precision float.</summary>
    FP16,
    /// <summary>IEEE 754 single precision float.</summary>
    FP32,
    /// <summary>IEEE 754 double precision float.</summary>
    FP64,
    /// <summary>Variable-length byte strings, e.g. UTF-8 text; laid out as <see cref="BytesTensor"/> describes.</summary>
    Bytes,
}
