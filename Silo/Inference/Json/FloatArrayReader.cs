using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cluster.Tensors;

namespace Cluster.Silo.Inference.Json;

/// <summary>
/// Reads the common shape of tensor data, an array of plain float numbers, flat or nested, straight from the
/// bytes: no tokenizer, each number scanned in place or, where the scan cannot promise the result,
/// converted by <see cref="JsonNumberParser"/>. Anything else (empty arrays, strings such as "NaN",
/// numbers neither can convert exactly, a wrong count, any syntax it does not expect) makes it give up, and the caller reads the array the general way, which
/// also words the errors. Float types only: integer data keeps the general path and its range checks.
/// Every element comes out as the general way would make it: the double nearest the number, converted to the element type.
/// For FP32 that holds beyond the exact double path too (<see cref="JsonNumberParser.TryScaleForSingle"/>), so a float
/// array printed as doubles, 17 digits a number as Python's json writes it, stays here.
/// </summary>
internal static class FloatArrayReader
{
    // What the scan may read from a number's start: sign, 20 digits, '.', 20 digits, 'e', sign, 3 digits, and the byte after.
    private const int Reach = 48;
    private const int MaxDigits = 19;

    /// <summary>
    /// Converts the data array the reader stands on: flat float arrays straight from the bytes, then
    /// the reader goes on from a copy of its state over the rest (it stood after '[' and now sees the
    /// ']'); everything else through the reader.
    /// </summary>
    public static byte[] ReadData(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> body, string name, TensorDataType type, long elements, int rank, int start)
    {
        var available = body.Length - start;
        if (elements > 0 && elements <= available && type is TensorDataType.FP32 or TensorDataType.FP64 or TensorDataType.FP16)
        {
            // Arrays inside the data array: no deeper than the shape's rank would nest them, nor than the reader's depth limit allows
            // (it stands on the data array's '[', and counts that one), so whatever goes deeper gets the general reader's answer.
            var maxNesting = Math.Min(rank - 1, reader.CurrentState.Options.MaxDepth - reader.CurrentDepth - 1);
            var bytes = TensorBuffers.Rent(checked((int)(elements * type.ElementSize())));
            var close = TryRead(body, offset + (int)reader.BytesConsumed, type, bytes, maxNesting);
            if (close >= 0)
            {
                var state = reader.CurrentState;
                reader = new Utf8JsonReader(body[close..], isFinalBlock: true, state);
                offset = close;
                reader.Read();
                return bytes;
            }
            TensorBuffers.Return(bytes);
        }
        return TensorJsonData.ReadArray(ref reader, name, type, elements, available);
    }

    /// <summary>
    /// Fills <paramref name="target"/> with elements of <paramref name="type"/> (FP32, FP64 or FP16) from
    /// the array whose '[' ends just before <paramref name="start"/>; returns the index of its closing
    /// ']', or -1 to fall back. Each number is scanned without per-byte bounds checks wherever the body
    /// has room after it for the longest number the scan accepts; near the body's end, or for a number
    /// the scan leaves alone (more than 19 digits, a large exponent, anything malformed),
    /// <see cref="JsonNumberParser.TryScanPrefix"/> reads it, and the element type scales it the same way either way.
    /// </summary>
    internal static int TryRead(ReadOnlySpan<byte> json, int start, TensorDataType type, Span<byte> target, int maxNesting = 0) => type switch
    {
        TensorDataType.FP32 => TryRead<SingleElement>(json, start, target, maxNesting),
        TensorDataType.FP64 => TryRead<DoubleElement>(json, start, target, maxNesting),
        _ => TryRead<HalfElement>(json, start, target, maxNesting),
    };

    // One loop for the three float types; the element type is a struct parameter so each gets its own compiled loop, with no switch per number.
    private static unsafe int TryRead<TElement>(ReadOnlySpan<byte> json, int start, Span<byte> target, int maxNesting) where TElement : struct, IFloatElement
    {
        var count = target.Length / TElement.Size;
        fixed (byte* first = json)
        fixed (byte* output = target)
        {
            var end = first + json.Length;
            var scanEnd = end - Reach;
            var p = SkipWhitespace(first + start, end);
            // Arrays open inside the data array (nested data, as a numpy array's tolist() writes it); like the general reader,
            // only the element count is held against the shape, the nesting is not.
            var depth = 0;
            for (var index = 0; index < count; index++)
            {
                while (p < end && *p == (byte)'[')
                {
                    if (++depth > maxNesting) return -1;
                    p = SkipWhitespace(p + 1, end);
                }
                var number = p;
                double value;
                if (p >= scanEnd) goto Careful;
                var negative = *p == (byte)'-';
                if (negative) p++;
                var digits = p;
                ulong mantissa = 0;
                uint digit;
                if (*p == (byte)'0')
                {
                    p++;
                }
                else
                {
                    var limit = p + MaxDigits + 1;
                    while ((digit = (uint)(*p - '0')) <= 9 && p < limit)
                    {
                        mantissa = mantissa * 10 + digit;
                        p++;
                    }
                    if (p == digits) goto Careful;
                }
                var exponent = 0;
                if (*p == (byte)'.')
                {
                    p++;
                    var fraction = p;
                    var limit = p + MaxDigits + 1;
                    // Fractions are where the digits are (a float printed whole has 7 to 17 of them): eight at a time, twice, or four, first.
                    var word = Unsafe.ReadUnaligned<ulong>(p);
                    if (SwarDigits.AreEight(word))
                    {
                        mantissa = mantissa * 100_000_000 + SwarDigits.Eight(word);
                        p += 8;
                        word = Unsafe.ReadUnaligned<ulong>(p);
                        if (SwarDigits.AreEight(word))
                        {
                            mantissa = mantissa * 100_000_000 + SwarDigits.Eight(word);
                            p += 8;
                        }
                    }
                    else if (SwarDigits.AreFour((uint)word))
                    {
                        mantissa = mantissa * 10_000 + SwarDigits.Four((uint)word);
                        p += 4;
                    }
                    while ((digit = (uint)(*p - '0')) <= 9 && p < limit)
                    {
                        mantissa = mantissa * 10 + digit;
                        p++;
                    }
                    if (p == fraction) goto Careful;
                    exponent = (int)(fraction - p);
                    // Counted with leading zeros (and the '.'): past 19 digits the mantissa may have overflowed.
                    if (p - digits > MaxDigits + 1) goto Careful;
                }
                else if (p - digits > MaxDigits) goto Careful;
                if ((*p | 0x20) == (byte)'e')
                {
                    p++;
                    var exponentNegative = *p == (byte)'-';
                    if (exponentNegative || *p == (byte)'+') p++;
                    var exponentStart = p;
                    var explicitExponent = 0;
                    while ((digit = (uint)(*p - '0')) <= 9 && p < exponentStart + 3)
                    {
                        explicitExponent = explicitExponent * 10 + (int)digit;
                        p++;
                    }
                    if (p == exponentStart) goto Careful;
                    exponent += exponentNegative ? -explicitExponent : explicitExponent;
                }
                // A digit here means a run was cut short by a limit: not ours to judge.
                if ((uint)(*p - '0') <= 9 || !TElement.TryScale(mantissa, exponent, out value)) goto Careful;
                if (negative) value = -value;
                goto Store;
            Careful:
                if (!JsonNumberParser.TryScanPrefix(new ReadOnlySpan<byte>(number, (int)(end - number)), out negative, out mantissa, out exponent, out var length)
                    || !TElement.TryScale(mantissa, exponent, out value)) return -1;
                if (negative) value = -value;
                p = number + length;
            Store:
                if (!TElement.TryWrite(value, new Span<byte>(output + index * TElement.Size, TElement.Size))) return -1;
                p = SkipWhitespace(p, end);
                while (depth > 0 && p < end && *p == (byte)']')
                {
                    depth--;
                    p = SkipWhitespace(p + 1, end);
                }
                if (p >= end) return -1;
                if (index == count - 1) return depth == 0 && *p == (byte)']' ? (int)(p - first) : -1;
                if (*p != (byte)',') return -1;
                p = SkipWhitespace(p + 1, end);
            }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe byte* SkipWhitespace(byte* p, byte* end)
    {
        while (p < end && *p is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') p++;
        return p;
    }

    // Tensor bytes are little-endian whatever the machine.
    private interface IFloatElement
    {
        static abstract int Size { get; }

        /// <summary><paramref name="mantissa"/> × 10^<paramref name="exponent"/> as a double this type converts exactly as it converts the correctly rounded one; false when that is not certain.</summary>
        static abstract bool TryScale(ulong mantissa, int exponent, out double value);

        static abstract bool TryWrite(double value, Span<byte> element);
    }

    private readonly struct SingleElement : IFloatElement
    {
        public static int Size => sizeof(float);

        public static bool TryScale(ulong mantissa, int exponent, out double value) => JsonNumberParser.TryScaleForSingle(mantissa, exponent, out value);

        // A value beyond FP32's range is no FP32: the general path says so.
        public static bool TryWrite(double value, Span<byte> element)
        {
            var single = (float)value;
            if (float.IsInfinity(single)) return false;
            BinaryPrimitives.WriteSingleLittleEndian(element, single);
            return true;
        }
    }

    private readonly struct DoubleElement : IFloatElement
    {
        public static int Size => sizeof(double);

        public static bool TryScale(ulong mantissa, int exponent, out double value) => JsonNumberParser.TryScale(mantissa, exponent, out value);

        public static bool TryWrite(double value, Span<byte> element)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(element, value);
            return true;
        }
    }

    private readonly struct HalfElement : IFloatElement
    {
        public static int Size => Unsafe.SizeOf<Half>();

        public static bool TryScale(ulong mantissa, int exponent, out double value) => JsonNumberParser.TryScale(mantissa, exponent, out value);

        public static bool TryWrite(double value, Span<byte> element)
        {
            BinaryPrimitives.WriteHalfLittleEndian(element, (Half)value);
            return true;
        }
    }
}
