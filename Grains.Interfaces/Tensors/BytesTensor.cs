using System.Buffers.Binary;
using Cluster.Errors;

namespace Cluster.Tensors;

/// <summary>
/// The layout of a BYTES tensor's <see cref="TensorData.Data"/>: each element is a 4-byte
/// little-endian length followed by that many bytes, elements concatenated in row-major order.
/// It is the layout Triton uses for BYTES in the binary tensor data extension and in gRPC raw
/// contents, so those stay a plain copy and batching stays a concatenation.
/// </summary>
public static class BytesTensor
{
    /// <summary>Bytes of the length prefix in front of every element.</summary>
    public const int PrefixSize = 4;

    /// <summary>Encodes <paramref name="elements"/> into the length-prefixed layout.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> elements)
    {
        long size = 0;
        foreach (var element in elements) size += PrefixSize + element.Length;
        var data = new byte[size];
        var offset = 0;
        foreach (var element in elements) offset += Write(data.AsSpan(offset), element);
        return data;
    }

    /// <summary>Writes one element (prefix and bytes) at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> element)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, element.Length);
        element.CopyTo(destination[PrefixSize..]);
        return PrefixSize + element.Length;
    }

    /// <summary>Copies the elements out of <paramref name="data"/>; throws <see cref="FormatException"/> if the prefixes do not exactly cover it.</summary>
    public static byte[][] Decode(ReadOnlySpan<byte> data)
    {
        if (!TryCount(data, out var count, out var problem)) throw new FormatException($"Malformed BYTES data: {problem}");
        var elements = new byte[count][];
        var index = 0;
        foreach (var element in Elements(data)) elements[index++] = element.ToArray();
        return elements;
    }

    /// <summary>Walks the elements of well-formed <paramref name="data"/> without copying them.</summary>
    public static ElementEnumerator Elements(ReadOnlySpan<byte> data) => new(data);

    /// <summary>
    /// Counts the elements of <paramref name="data"/>; false, with the reason in <paramref name="problem"/>,
    /// when a prefix claims more bytes than follow or bytes trail the last element.
    /// </summary>
    public static bool TryCount(ReadOnlySpan<byte> data, out long count, out string? problem)
    {
        count = 0;
        problem = null;
        var offset = 0;
        while (offset < data.Length)
        {
            var remaining = data.Length - offset;
            if (remaining < PrefixSize)
            {
                var where = count == 0 ? "at the start" : $"after element {count - 1}";
                problem = $"{remaining} byte(s) {where} are too few for a {PrefixSize}-byte length prefix.";
                return false;
            }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            if (length > remaining - PrefixSize)
            {
                problem = $"element {count} claims {length} bytes, but only {remaining - PrefixSize} follow its length prefix.";
                return false;
            }
            offset += PrefixSize + (int)length;
            count++;
        }
        return true;
    }

    /// <summary>
    /// Throws <see cref="InvalidInferenceRequestException"/> unless <paramref name="data"/> is well formed
    /// and holds exactly <paramref name="expected"/> elements (the count its shape gives).
    /// </summary>
    public static void Validate(string input, ReadOnlySpan<byte> data, long expected)
    {
        if (!TryCount(data, out var count, out var problem))
        {
            throw new InvalidInferenceRequestException($"Input '{input}': malformed BYTES data (each element is a 4-byte little-endian length, then its bytes): {problem}");
        }
        if (count != expected) throw new InvalidInferenceRequestException($"Input '{input}' carries {count} BYTES elements; its shape needs {expected}.");
    }

    /// <summary>The offset just past <paramref name="count"/> elements of well-formed <paramref name="data"/> that start at <paramref name="offset"/>.</summary>
    public static int Skip(ReadOnlySpan<byte> data, int offset, long count)
    {
        for (long i = 0; i < count; i++)
        {
            if (data.Length - offset < PrefixSize) throw new InvalidOperationException("BYTES data ends before the elements asked for.");
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            if (length > data.Length - offset - PrefixSize) throw new InvalidOperationException("A BYTES element runs past the end of its data.");
            offset += PrefixSize + (int)length;
        }
        return offset;
    }

    /// <summary>Whether every element of well-formed <paramref name="data"/> is valid UTF-8, i.e. can travel as a JSON string.</summary>
    public static bool IsUtf8(ReadOnlySpan<byte> data)
    {
        foreach (var element in Elements(data))
        {
            if (!System.Text.Unicode.Utf8.IsValid(element)) return false;
        }
        return true;
    }

    /// <summary>Enumerates the elements of well-formed BYTES data as spans over it.</summary>
    public ref struct ElementEnumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _next;

        internal ElementEnumerator(ReadOnlySpan<byte> data) => _data = data;

        /// <summary>The element the enumerator stands on.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Returns itself, so the enumerator works in <c>foreach</c>.</summary>
        public readonly ElementEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next element; throws <see cref="InvalidOperationException"/> on malformed data.</summary>
        public bool MoveNext()
        {
            if (_next >= _data.Length) return false;
            var end = Skip(_data, _next, 1);
            Current = _data[(_next + PrefixSize)..end];
            _next = end;
            return true;
        }
    }
}
