extern alias silo;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using silo::Cluster.Silo.Inference.Json;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class FloatArrayReaderTests
{
    // Each is taken by JsonNumberParser; several only by it (more than 19 digits with leading zeros, four exponent digits), so the scan must hand them over.
    private static readonly string[] Tricky =
    [
        "0", "-0", "0.0", "-0.000", "1", "-12.5", "0.1", "1e22", "1E-22", "2.5e+3", "9007199254740992",
        "0.0000000000000000001234", "-0.0000000000000000000012", "1.5e0010", "1e-005", "123456789.5", "0.72624326", "-0.61237246",
        "123456789012345", "0.123456789012345", "123456789012345.6e-10",
    ];

    [Fact]
    public void EveryNumberComesOutAsTheCarefulParserReadsItWhereverItStandsInTheBody()
    {
        var random = new Random(21);
        string[] spaces = ["", " ", "\n  ", "\t", "\r\n"];
        for (var trial = 0; trial < 200; trial++)
        {
            var count = random.Next(1, 300);
            var texts = Enumerable.Range(0, count).Select(_ => random.Next(3) == 0
                ? Tricky[random.Next(Tricky.Length)]
                : ((float)(random.NextDouble() * 2 - 1)).ToString("R", CultureInfo.InvariantCulture)).ToArray();
            var json = new StringBuilder("[").Append(spaces[random.Next(spaces.Length)]);
            for (var i = 0; i < count; i++)
            {
                json.Append(texts[i]).Append(spaces[random.Next(spaces.Length)]);
                if (i < count - 1) json.Append(',').Append(spaces[random.Next(spaces.Length)]);
            }
            var close = json.Length;
            // A short tail puts the last numbers within reach of the body's end, where only the careful parser reads.
            json.Append(']').Append(random.Next(2) == 0 ? "}]}" : "}]}" + new string(' ', 64));
            var bytes = new byte[count * sizeof(float)];

            FloatArrayReader.TryRead(Encoding.ASCII.GetBytes(json.ToString()), 1, TensorDataType.FP32, bytes).ShouldBe(close, json.ToString());
            var target = MemoryMarshal.Cast<byte, float>(bytes);

            for (var i = 0; i < count; i++)
            {
                var expected = (float)double.Parse(texts[i], CultureInfo.InvariantCulture);
                BitConverter.SingleToInt32Bits(target[i]).ShouldBe(BitConverter.SingleToInt32Bits(expected), texts[i]);
            }
        }
    }

    [Fact]
    public void Fp64AndFp16ArraysComeOutAsTheirConversionsOfTheParsedDouble()
    {
        var random = new Random(22);
        // 15 significant digits: a double printed whole (17) is beyond the exact path and goes to the general reader.
        var texts = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? Tricky[i % Tricky.Length] : (random.NextDouble() * 2 - 1).ToString("G15", CultureInfo.InvariantCulture)).ToArray();
        var json = Encoding.ASCII.GetBytes("[" + string.Join(", ", texts) + "]}]}" + new string(' ', 64));
        var close = Array.IndexOf(json, (byte)']');
        var doubles = new byte[texts.Length * sizeof(double)];
        var halves = new byte[texts.Length * 2];

        FloatArrayReader.TryRead(json, 1, TensorDataType.FP64, doubles).ShouldBe(close);
        FloatArrayReader.TryRead(json, 1, TensorDataType.FP16, halves).ShouldBe(close);

        for (var i = 0; i < texts.Length; i++)
        {
            var expected = double.Parse(texts[i], CultureInfo.InvariantCulture);
            BitConverter.DoubleToInt64Bits(MemoryMarshal.Cast<byte, double>(doubles)[i]).ShouldBe(BitConverter.DoubleToInt64Bits(expected), texts[i]);
            MemoryMarshal.Cast<byte, Half>(halves)[i].ShouldBe((Half)expected, texts[i]);
        }
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("1.e5")]
    [InlineData("--1")]
    [InlineData("0x10")]
    [InlineData("1e39")]
    [InlineData("12345678901234567890123")]
    [InlineData("\"NaN\"")]
    [InlineData("[1]")]
    [InlineData("1 2")]
    // Refused here means the general reader takes the array: malformed numbers get its errors, inexact ones its conversion.
    public void WhatTheCarefulParserRefusesIsRefusedAtTheStartTheMiddleAndTheEnd(string bad)
    {
        foreach (var at in new[] { 0, 100, 199 })
        {
            var texts = Enumerable.Range(0, 200).Select(i => i == at ? bad : "0.5").ToArray();
            var json = Encoding.ASCII.GetBytes("[" + string.Join(",", texts) + "]}]}" + new string(' ', 64));

            FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, new byte[200 * sizeof(float)]).ShouldBe(-1, $"{bad} at {at}");
        }
    }

    [Theory]
    [InlineData("1e23")]
    [InlineData("9007199254740993")]
    [InlineData("1234567890123456789")]
    [InlineData("0.00014090730249881744")]
    [InlineData("-1.2345678901234567e-30")]
    // Beyond Clinger's exact double (over 2^53, past 10^22): refused for FP64, where only the general reader rounds right, but read for FP32.
    public void NumbersBeyondTheExactDoublePathAreRefusedForFp64AndReadForFp32(string number)
    {
        var json = Encoding.ASCII.GetBytes("[0.5," + number + ",0.25]}]}" + new string(' ', 64));
        var close = Array.IndexOf(json, (byte)']');
        var singles = new byte[3 * sizeof(float)];

        FloatArrayReader.TryRead(json, 1, TensorDataType.FP64, new byte[3 * sizeof(double)]).ShouldBe(-1);
        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, singles).ShouldBe(close);

        var expected = (float)double.Parse(number, CultureInfo.InvariantCulture);
        BitConverter.SingleToInt32Bits(MemoryMarshal.Cast<byte, float>(singles)[1]).ShouldBe(BitConverter.SingleToInt32Bits(expected));
    }

    [Fact]
    public void Fp32ValuesPrintedWholeAsDoublesComeOutAsTheGeneralReaderConvertsThem()
    {
        // What Python's json writes for a float32 array (widened to double, 16 or 17 digits), and plain doubles of every magnitude FP32 holds.
        var random = new Random(23);
        var texts = Enumerable.Range(0, 5000).Select(i =>
        {
            var magnitude = Math.Pow(10, random.Next(-30, 30));
            var value = (random.NextDouble() * 2 - 1) * magnitude;
            return (i % 2 == 0 ? (double)(float)value : value).ToString("R", CultureInfo.InvariantCulture);
        }).ToArray();
        var json = Encoding.ASCII.GetBytes("[" + string.Join(",", texts) + "]}]}" + new string(' ', 64));
        var singles = new byte[texts.Length * sizeof(float)];

        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, singles).ShouldBe(Array.IndexOf(json, (byte)']'));

        for (var i = 0; i < texts.Length; i++)
        {
            var expected = (float)double.Parse(texts[i], CultureInfo.InvariantCulture);
            BitConverter.SingleToInt32Bits(MemoryMarshal.Cast<byte, float>(singles)[i]).ShouldBe(BitConverter.SingleToInt32Bits(expected), texts[i]);
        }
    }

    [Fact]
    public void AnFp32NumberWithinAFewDoubleUlpsOfAnFp32RoundingMidpointIsLeftToTheGeneralReader()
    {
        // Halfway between two neighbouring floats, then nudged by 0 to 3 double ulps: where a scaled approximation could round the other way.
        var random = new Random(24);
        var refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            var low = (float)(random.NextDouble() * Math.Pow(10, random.Next(-20, 20)));
            var midpoint = ((double)low + (double)MathF.BitIncrement(low)) / 2;
            var nudged = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(midpoint) + random.Next(-3, 4));
            var text = nudged.ToString("E18", CultureInfo.InvariantCulture);
            var json = Encoding.ASCII.GetBytes("[" + text + "]}]}" + new string(' ', 64));
            var single = new byte[sizeof(float)];

            var close = FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, single);

            if (close < 0)
            {
                refused++;
                continue;
            }
            var expected = (float)double.Parse(text, CultureInfo.InvariantCulture);
            BitConverter.SingleToInt32Bits(MemoryMarshal.Cast<byte, float>(single)[0]).ShouldBe(BitConverter.SingleToInt32Bits(expected), text);
        }
        refused.ShouldBe(2000, "19 significant digits are beyond the exact path, so every one of these is a scaled approximation near a midpoint");
    }

    [Fact]
    public void NestedArraysAreReadLikeTheFlatOneWithTheSameNumbers()
    {
        // As numpy's tolist() writes a [2,3,4] array, with whitespace where a pretty printer puts it.
        var random = new Random(25);
        var values = Enumerable.Range(0, 24).Select(_ => ((double)(float)(random.NextDouble() * 2 - 1)).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        var rows = Enumerable.Range(0, 6).Select(r => "[" + string.Join(", ", values.Skip(r * 4).Take(4)) + "]").ToArray();
        var nested = $"[[{rows[0]},{rows[1]},{rows[2]}],\n [{rows[3]}, {rows[4]}, {rows[5]}] ]";
        var json = Encoding.ASCII.GetBytes(nested + "}]}" + new string(' ', 64));
        var target = new byte[24 * sizeof(float)];

        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, target, maxNesting: 2).ShouldBe(nested.Length - 1);
        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, target, maxNesting: 1).ShouldBe(-1, "deeper than allowed");

        MemoryMarshal.Cast<byte, float>(target).ToArray().ShouldBe(values.Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
    }

    [Theory]
    [InlineData("[[0.5,0.5],[0.5,0.5]")]
    [InlineData("[[[0.5,0.5],[0.5,0.5]]")]
    [InlineData("[[0.5,0.5][0.5,0.5]]")]
    [InlineData("[[0.5,0.5],[],[0.5,0.5]]")]
    [InlineData("[[0.5,0.5,],[0.5,0.5]]")]
    // Brackets that do not pair up, arrays side by side without a comma, an empty array: refused, and the general reader words the error.
    public void NestingThatIsNotWellFormedIsRefused(string data)
    {
        var json = Encoding.ASCII.GetBytes(data + "}]}" + new string(' ', 64));

        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, new byte[4 * sizeof(float)], maxNesting: 3).ShouldBe(-1, data);
    }

    [Fact]
    public void AWrongCountIsRefused()
    {
        var json = Encoding.ASCII.GetBytes("[" + string.Join(",", Enumerable.Repeat("0.25", 100)) + "]" + new string(' ', 64));

        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, new byte[99 * sizeof(float)]).ShouldBe(-1);
        FloatArrayReader.TryRead(json, 1, TensorDataType.FP32, new byte[101 * sizeof(float)]).ShouldBe(-1);
    }
}
