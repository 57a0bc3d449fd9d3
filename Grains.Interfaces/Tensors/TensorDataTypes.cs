namespace Cluster.Tensors;

/// <summary>Sizes and protocol names of <see cref="TensorDataType"/> values.</summary>
public static class TensorDataTypes
{
    private static readonly Dictionary<string, TensorDataType> ByName = Enum.GetValues<TensorDataType>()
        .ToDictionary(ProtocolName, t => t, StringComparer.Ordinal);

    /// <summary>Bytes per element; 0 for <see cref="TensorDataType.Bytes"/>, which has no fixed size.</summary>
    public static int ElementSize(this TensorDataType type) => type switch
    {
        TensorDataType.Bool or TensorDataType.UInt8 or TensorDataType.Int8 => 1,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.FP16 => 2,
        TensorDataType.UInt32 or TensorDataType.Int32 or TensorDataType.FP32 => 4,
        TensorDataType.UInt64 or TensorDataType.Int64 or TensorDataType.FP64 => 8,
        _ => 0,
    };

    /// <summary>The datatype string the v2 protocol uses, e.g. <c>FP32</c>.</summary>
    public static string ProtocolName(this TensorDataType type) => type switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.Bytes => "BYTES",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <summary>Parses a v2 datatype string (exact, upper case as the protocol writes it).</summary>
    public static bool TryParse(string name, out TensorDataType type) => ByName.TryGetValue(name, out type);

    /// <summary>The datatype matching a .NET element type, for the typed tensor helpers.</summary>
    public static TensorDataType Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(bool) => TensorDataType.Bool,
        var t when t == typeof(byte) => TensorDataType.UInt8,
        var t when t == typeof(ushort) => TensorDataType.UInt16,
        var t when t == typeof(uint) => TensorDataType.UInt32,
        var t when t == typeof(ulong) => TensorDataType.UInt64,
        var t when t == typeof(sbyte) => TensorDataType.Int8,
        var t when t == typeof(short) => TensorDataType.Int16,
        var t when t == typeof(int) => TensorDataType.Int32,
        var t when t == typeof(long) => TensorDataType.Int64,
        var t when t == typeof(Half) => TensorDataType.FP16,
        var t when t == typeof(float) => TensorDataType.FP32,
        var t when t == typeof(double) => TensorDataType.FP64,
        _ => throw new NotSupportedException($"No tensor datatype for {typeof(T).Name}."),
    };
}
