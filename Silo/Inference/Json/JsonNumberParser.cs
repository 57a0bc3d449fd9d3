using System.Runtime.CompilerServices;

namespace Cluster.Silo.Inference.Json;

/// <summary>
/// Parses the JSON numbers tensors are made of (a sign, up to 19 digits around a decimal point, an
/// optional exponent) without the general parser's machinery, when the answer is exact by
/// construction: a mantissa below 2^53 scaled by a power of ten up to 10^22 is one correctly rounded
/// IEEE multiplication or division (Clinger's fast path), so the result equals
/// <see cref="double.Parse(string)"/>'s. Anything else (more digits, larger exponents) is left to
/// the general parser.
/// </summary>
internal static class JsonNumberParser
{
    private const ulong MaxExactMantissa = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The value of <paramref name="number"/> (a JSON number's bytes), or false when the fast path cannot promise the exact result.</summary>
    public static bool TryParseExact(ReadOnlySpan<byte> number, out double value) =>
        TryParsePrefix(number, out value, out var length) && length == number.Length;

    /// <summary>
    /// Reads the JSON number <paramref name="json"/> starts with (JSON's grammar: no '+', no leading
    /// zeros, digits on both sides of '.'), in one pass: its value and how many bytes it took, or false
    /// when it is not such a number or the fast path cannot promise the exact result. What follows the
    /// number is the caller's to check.
    /// </summary>
    public static bool TryParsePrefix(ReadOnlySpan<byte> json, out double value, out int length)
    {
        value = 0;
        length = 0;
        var i = 0;
        var negative = false;
        if (i < json.Length && json[i] == (byte)'-')
        {
            negative = true;
            i++;
        }
        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        if (i < json.Length && json[i] == (byte)'0')
        {
            i++;
            if (i < json.Length && IsDigit(json[i])) return false;
        }
        else
        {
            var start = i;
            for (; i < json.Length && IsDigit(json[i]); i++)
            {
                if (!Accumulate(ref mantissa, ref digits, json[i])) return false;
            }
            if (i == start) return false;
        }
        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            for (; i < json.Length && IsDigit(json[i]); i++)
            {
                if (!Accumulate(ref mantissa, ref digits, json[i])) return false;
                exponent--;
            }
            if (i == fractionStart) return false;
        }
        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            var exponentNegative = false;
            if (i < json.Length && (json[i] == (byte)'-' || json[i] == (byte)'+'))
            {
                exponentNegative = json[i] == (byte)'-';
                i++;
            }
            var explicitExponent = 0;
            var exponentStart = i;
            for (; i < json.Length && IsDigit(json[i]); i++)
            {
                if (explicitExponent > 1000) return false;
                explicitExponent = explicitExponent * 10 + (json[i] - '0');
            }
            if (i == exponentStart) return false;
            exponent += exponentNegative ? -explicitExponent : explicitExponent;
        }
        if (!TryScale(mantissa, exponent, out var result)) return false;
        value = negative ? -result : result;
        length = i;
        return true;
    }

    /// <summary>
    /// <paramref name="mantissa"/> × 10^<paramref name="exponent"/> when one correctly rounded IEEE
    /// multiplication or division gives it exactly (Clinger's fast path); false otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryScale(ulong mantissa, int exponent, out double value)
    {
        value = mantissa;
        if (mantissa == 0) return true;
        if (mantissa > MaxExactMantissa || exponent is < -22 or > 22) return false;
        value = exponent < 0 ? value / PowersOfTen[-exponent] : value * PowersOfTen[exponent];
        return true;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    // Leading zeros carry nothing; more than 19 significant digits could overflow, so they go to the general parser.
    private static bool Accumulate(ref ulong mantissa, ref int digits, byte c)
    {
        if (mantissa == 0 && c == (byte)'0') return true;
        if (++digits > 19) return false;
        mantissa = mantissa * 10 + (ulong)(c - '0');
        return true;
    }
}
