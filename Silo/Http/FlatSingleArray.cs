using System.Runtime.CompilerServices;

namespace Cluster.Silo.Http;

/// <summary>
/// The FP32 case of a flat JSON number array, the shape image tensors arrive in. Each number is
/// scanned without per-byte bounds checks wherever the body has room after it for the longest
/// number the scan accepts; near the end of the body, or for a number the scan leaves alone (more
/// than 19 digits, a large exponent, anything malformed), <see cref="JsonNumberParser.TryParsePrefix"/>
/// decides, so the bits are the same either way and what it refuses falls back to the general reader.
/// </summary>
internal static class FlatSingleArray
{
    // What the scan may read from a number's start: sign, 20 digits, '.', 20 digits, 'e', sign, 3 digits, and the byte after.
    private const int Reach = 48;
    private const int MaxDigits = 19;

    /// <summary>Fills <paramref name="target"/> from the array whose '[' ends before <paramref name="start"/>; the index of its ']', or -1 to fall back.</summary>
    public static unsafe int TryRead(ReadOnlySpan<byte> json, int start, Span<float> target)
    {
        fixed (byte* first = json)
        {
            var end = first + json.Length;
            var scanEnd = end - Reach;
            var p = SkipWhitespace(first + start, end);
            for (var index = 0; index < target.Length; index++)
            {
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
                if ((uint)(*p - '0') <= 9 || !JsonNumberParser.TryScale(mantissa, exponent, out value)) goto Careful;
                if (negative) value = -value;
                goto Store;
            Careful:
                if (!JsonNumberParser.TryParsePrefix(new ReadOnlySpan<byte>(number, (int)(end - number)), out value, out var length)) return -1;
                p = number + length;
            Store:
                var single = (float)value;
                if (float.IsInfinity(single)) return -1;
                target[index] = single;
                p = SkipWhitespace(p, end);
                if (p >= end) return -1;
                if (index == target.Length - 1) return *p == (byte)']' ? (int)(p - first) : -1;
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
}
