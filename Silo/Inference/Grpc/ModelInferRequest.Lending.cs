using System.Buffers;
using Cluster.Tensors;
using Google.Protobuf;

namespace Cluster.Protocol.V2;

/// <summary>
/// Parses <c>ModelInferRequest</c> with each large <c>raw_input_contents</c> entry copied into an array lent by
/// <see cref="TensorBuffers"/> instead of the fresh array protobuf would give it (a large-object-heap allocation per 110 KB
/// tensor, and with it a gen-2 collection every thousand requests). The rest of the message is parsed by protobuf as
/// usual; a lent entry stays in <c>raw_input_contents</c> as an empty placeholder, so every index still matches its input.
/// </summary>
internal sealed partial class ModelInferRequest
{
    private const int RawInputContentsField = 7;
    private const int LengthDelimited = 2;

    /// <summary>The lent array of raw_input_contents entry <paramref name="index"/>, or null when protobuf's bytes hold it.</summary>
    internal byte[]? LentRawInput(int index) => _lent is { } lent && index < lent.Count ? lent[index] : null;

    private List<byte[]?>? _lent;

    /// <summary>Parses <paramref name="payload"/>; anything the field walk does not expect goes to protobuf whole, which names the fault.</summary>
    internal static ModelInferRequest ParseLendingRawContents(ReadOnlySequence<byte> payload)
    {
        if (payload.Length < TensorBuffers.MinPooledBytes) return Parser.ParseFrom(payload);
        var rest = new ArrayBufferWriter<byte>(4096);
        var lent = new List<byte[]?>();
        var reader = new SequenceReader<byte>(payload);
        while (!reader.End)
        {
            var start = reader.Position;
            if (!TryReadVarint(ref reader, out var tag) || !TrySkipValue(ref reader, tag, out var length)) return Fallback(payload, lent);
            if ((int)(tag >> 3) == RawInputContentsField && (int)(tag & 7) == LengthDelimited)
            {
                if (length >= TensorBuffers.MinPooledBytes)
                {
                    var array = TensorBuffers.Rent((int)length);
                    payload.Slice(reader.Consumed - length, length).CopyTo(array);
                    lent.Add(array);
                    // Tag and an empty value: the entry keeps its place among raw_input_contents.
                    WriteVarint(rest, tag);
                    WriteVarint(rest, 0);
                    continue;
                }
                lent.Add(null);
            }
            foreach (var segment in payload.Slice(start, reader.Position)) rest.Write(segment.Span);
        }
        ModelInferRequest request;
        try
        {
            request = Parser.ParseFrom(rest.WrittenSpan);
        }
        catch (InvalidProtocolBufferException)
        {
            ReturnAll(lent);
            throw;
        }
        request._lent = lent;
        return request;
    }

    private static ModelInferRequest Fallback(ReadOnlySequence<byte> payload, List<byte[]?> lent)
    {
        ReturnAll(lent);
        return Parser.ParseFrom(payload);
    }

    private static void ReturnAll(List<byte[]?> lent)
    {
        foreach (var array in lent) if (array is not null) TensorBuffers.Return(array);
    }

    /// <summary>Moves past the value that <paramref name="tag"/> introduces; <paramref name="length"/> is a length-delimited value's length.</summary>
    private static bool TrySkipValue(ref SequenceReader<byte> reader, ulong tag, out long length)
    {
        length = 0;
        switch ((int)(tag & 7))
        {
            case 0: return TryReadVarint(ref reader, out _);
            case 1: return TryAdvance(ref reader, 8);
            case 5: return TryAdvance(ref reader, 4);
            case LengthDelimited:
                if (!TryReadVarint(ref reader, out var value) || value > (ulong)reader.Remaining) return false;
                length = (long)value;
                reader.Advance(length);
                return true;
            default: return false;
        }
    }

    private static bool TryAdvance(ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count) return false;
        reader.Advance(count);
        return true;
    }

    private static bool TryReadVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b)) return false;
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        for (; value >= 0x80; value >>= 7) span[i++] = (byte)(value | 0x80);
        span[i++] = (byte)value;
        writer.Advance(i);
    }
}
