using System.Buffers.Binary;
using System.Text;

namespace Cluster.Cli.Loadtest;

/// <summary>Encodes an <see cref="InputTensor"/> as the v2 protocol's raw bytes.</summary>
internal static class TensorBytes
{
    public static int ElementSize(string datatype) => datatype switch
    {
        "BOOL" or "UINT8" or "INT8" => 1,
        "UINT16" or "INT16" or "FP16" => 2,
        "UINT32" or "INT32" or "FP32" => 4,
        "UINT64" or "INT64" or "FP64" => 8,
        "BYTES" => 0,
        _ => throw new UsageException($"unsupported datatype '{datatype}'"),
    };

    public static byte[] Encode(InputTensor tensor)
    {
        if (tensor.Datatype == "BYTES") return EncodeTexts(tensor.Texts ?? throw new UsageException($"input '{tensor.Name}' is BYTES and needs strings"));
        var values = tensor.Numbers ?? throw new UsageException($"input '{tensor.Name}' is {tensor.Datatype} and needs numbers");
        var size = ElementSize(tensor.Datatype);
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            var v = values[i];
            switch (tensor.Datatype)
            {
                case "BOOL": slot[0] = v != 0 ? (byte)1 : (byte)0; break;
                case "UINT8": slot[0] = (byte)v; break;
                case "INT8": slot[0] = unchecked((byte)(sbyte)v); break;
                case "UINT16": BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)v); break;
                case "INT16": BinaryPrimitives.WriteInt16LittleEndian(slot, (short)v); break;
                case "FP16": BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)v); break;
                case "UINT32": BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)v); break;
                case "INT32": BinaryPrimitives.WriteInt32LittleEndian(slot, (int)v); break;
                case "FP32": BinaryPrimitives.WriteSingleLittleEndian(slot, (float)v); break;
                case "UINT64": BinaryPrimitives.WriteUInt64LittleEndian(slot, (ulong)v); break;
                case "INT64": BinaryPrimitives.WriteInt64LittleEndian(slot, (long)v); break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(slot, v); break;
            }
        }
        return bytes;
    }

    private static byte[] EncodeTexts(string[] texts)
    {
        using var stream = new MemoryStream();
        Span<byte> prefix = stackalloc byte[4];
        foreach (var text in texts)
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            BinaryPrimitives.WriteInt32LittleEndian(prefix, utf8.Length);
            stream.Write(prefix);
            stream.Write(utf8);
        }
        return stream.ToArray();
    }
}
