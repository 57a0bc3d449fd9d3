using System.Runtime.InteropServices;
using Cluster.Errors;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Google.Protobuf;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>
/// Writes an input's typed <c>contents</c> into its datatype's little-endian layout, narrowing
/// integers with range checks; BYTES elements (<c>bytes_contents</c>) are length-prefixed
/// (<see cref="BytesTensor"/>). Values must sit in the one field the datatype reads: values in
/// another field would otherwise be dropped without a word.
/// </summary>
internal static class GrpcTypedContents
{
    public static byte[] Read(ModelInferRequest.Types.InferInputTensor input, TensorDataType type)
    {
        var contents = input.Contents ?? throw Invalid($"Input '{input.Name}' has neither contents nor raw_input_contents.");
        EnsureOnlyField(input.Name, type, contents);
        return type switch
        {
            TensorDataType.FP32 => Bytes<float>([.. contents.Fp32Contents]),
            TensorDataType.FP64 => Bytes<double>([.. contents.Fp64Contents]),
            TensorDataType.Int64 => Bytes<long>([.. contents.Int64Contents]),
            TensorDataType.UInt64 => Bytes<ulong>([.. contents.Uint64Contents]),
            TensorDataType.Int32 => Bytes<int>([.. contents.IntContents]),
            TensorDataType.Int16 => Bytes(Narrow(contents.IntContents, input.Name, v => checked((short)v))),
            TensorDataType.Int8 => Bytes(Narrow(contents.IntContents, input.Name, v => checked((sbyte)v))),
            TensorDataType.UInt32 => Bytes<uint>([.. contents.UintContents]),
            TensorDataType.UInt16 => Bytes(Narrow(contents.UintContents, input.Name, v => checked((ushort)v))),
            TensorDataType.UInt8 => Bytes(Narrow(contents.UintContents, input.Name, v => checked((byte)v))),
            TensorDataType.Bool => [.. contents.BoolContents.Select(b => b ? (byte)1 : (byte)0)],
            TensorDataType.Bytes => LengthPrefixed(contents.BytesContents),
            _ => throw Invalid($"Input '{input.Name}': {type.ProtocolName()} must be sent in raw_input_contents."),
        };
    }

    /// <summary>The contents field that carries <paramref name="type"/>, as the proto names it; null when none does (FP16, BF16).</summary>
    public static string? FieldFor(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "bool_contents",
        TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 => "int_contents",
        TensorDataType.Int64 => "int64_contents",
        TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32 => "uint_contents",
        TensorDataType.UInt64 => "uint64_contents",
        TensorDataType.FP32 => "fp32_contents",
        TensorDataType.FP64 => "fp64_contents",
        TensorDataType.Bytes => "bytes_contents",
        _ => null,
    };

    private static void EnsureOnlyField(string name, TensorDataType type, InferTensorContents c)
    {
        var expected = FieldFor(type);
        EnsureEmptyUnless(name, type, expected, "bool_contents", c.BoolContents.Count);
        EnsureEmptyUnless(name, type, expected, "int_contents", c.IntContents.Count);
        EnsureEmptyUnless(name, type, expected, "int64_contents", c.Int64Contents.Count);
        EnsureEmptyUnless(name, type, expected, "uint_contents", c.UintContents.Count);
        EnsureEmptyUnless(name, type, expected, "uint64_contents", c.Uint64Contents.Count);
        EnsureEmptyUnless(name, type, expected, "fp32_contents", c.Fp32Contents.Count);
        EnsureEmptyUnless(name, type, expected, "fp64_contents", c.Fp64Contents.Count);
        EnsureEmptyUnless(name, type, expected, "bytes_contents", c.BytesContents.Count);
    }

    private static void EnsureEmptyUnless(string name, TensorDataType type, string? expected, string field, int count)
    {
        if (count == 0 || field == expected) return;
        throw Invalid($"Input '{name}' is {type.ProtocolName()} but has values in contents.{field}; its values belong in {(expected is null ? "raw_input_contents" : $"contents.{expected}")} alone.");
    }

    private static T[] Narrow<TFrom, T>(IEnumerable<TFrom> values, string name, Func<TFrom, T> narrow)
    {
        try
        {
            return [.. values.Select(narrow)];
        }
        catch (OverflowException)
        {
            throw Invalid($"Input '{name}' holds a value outside its datatype's range.");
        }
    }

    private static byte[] LengthPrefixed(IReadOnlyList<ByteString> elements)
    {
        long size = 0;
        foreach (var element in elements) size += BytesTensor.PrefixSize + element.Length;
        var data = new byte[size];
        var offset = 0;
        foreach (var element in elements) offset += BytesTensor.Write(data.AsSpan(offset), element.Span);
        return data;
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
