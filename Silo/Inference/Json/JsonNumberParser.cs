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

    // The 29 low significand bits a double has beyond an FP32, their value at an FP32 midpoint, and how many double ulps away
    // from one a scaled value must be: its error is under two ulps, the margin leaves room to spare.
    private const long DroppedBits = (1L << 29) - 1;
    private const long Midpoint = 1L << 28;
    private const long MidpointMargin = 16;
    private const int WideExponent = 60;
    private const double MinNormalSingle = 1.1754943508222875e-38;

    // 10^0 to 10^60, each the double nearest it (exact up to 10^22): 19 digits scaled down to FP32's smallest normal value need 10^57.
    private static readonly double[] WidePowersOfTen = [.. Enumerable.Range(0, WideExponent + 1).Select(k => double.Parse("1e" + k, System.Globalization.CultureInfo.InvariantCulture))];

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
        if (!TryScanPrefix(json, out var negative, out var mantissa, out var exponent, out length) || !TryScale(mantissa, exponent, out var result)) return false;
        value = negative ? -result : result;
        return true;
    }

    /// <summary>
    /// Reads the JSON number <paramref name="json"/> starts with into its sign, its significant digits as an integer and the power of ten
    /// they are scaled by, and how many bytes it took; false when it is no JSON number or has more than 19 significant digits.
    /// </summary>
    public static bool TryScanPrefix(ReadOnlySpan<byte> json, out bool negative, out ulong mantissa, out int exponent, out int length)
    {
        negative = false;
        mantissa = 0;
        exponent = 0;
        length = 0;
        var i = 0;
        if (i < json.Length && json[i] == (byte)'-')
        {
            negative = true;
            i++;
        }
        var digits = 0;
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

    /// <summary>
    /// <paramref name="mantissa"/> × 10^<paramref name="exponent"/> as a double whose conversion to FP32 is the conversion of the
    /// correctly rounded double, which is what an FP32 tensor holds; false when that is not certain. Where Clinger's fast path
    /// does not apply (more than 2^53, a power beyond 10^22: a double printed whole, as Python's json writes a float32 widened to
    /// double), one multiplication or division by a rounded power lands within a few double ulps of the true value. FP32 keeps 29
    /// fewer bits, so the conversion can differ only when an FP32 rounding midpoint lies that close: then the answer is false.
    /// </summary>
    internal static bool TryScaleForSingle(ulong mantissa, int exponent, out double value)
    {
        if (TryScale(mantissa, exponent, out value)) return true;
        if (exponent is < -WideExponent or > WideExponent) return false;
        value = exponent < 0 ? mantissa / WidePowersOfTen[-exponent] : mantissa * WidePowersOfTen[exponent];
        // Below FP32's normal range its spacing is no longer 29 bits coarser than a double's.
        if (value < MinNormalSingle) return false;
        var dropped = BitConverter.DoubleToInt64Bits(value) & DroppedBits;
        return Math.Abs(dropped - Midpoint) > MidpointMargin;
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
