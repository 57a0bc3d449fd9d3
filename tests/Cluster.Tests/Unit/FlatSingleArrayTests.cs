extern alias silo;
using System.Globalization;
using System.Text;
using silo::Cluster.Silo.Http;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class FlatSingleArrayTests
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
            var target = new float[count];

            FlatSingleArray.TryRead(Encoding.ASCII.GetBytes(json.ToString()), 1, target).ShouldBe(close, json.ToString());

            for (var i = 0; i < count; i++)
            {
                var expected = (float)double.Parse(texts[i], CultureInfo.InvariantCulture);
                BitConverter.SingleToInt32Bits(target[i]).ShouldBe(BitConverter.SingleToInt32Bits(expected), texts[i]);
            }
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
    [InlineData("1e23")]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890123")]
    [InlineData("1234567890123456789")]
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

            FlatSingleArray.TryRead(json, 1, new float[200]).ShouldBe(-1, $"{bad} at {at}");
        }
    }

    [Fact]
    public void AWrongCountIsRefused()
    {
        var json = Encoding.ASCII.GetBytes("[" + string.Join(",", Enumerable.Repeat("0.25", 100)) + "]" + new string(' ', 64));

        FlatSingleArray.TryRead(json, 1, new float[99]).ShouldBe(-1);
        FlatSingleArray.TryRead(json, 1, new float[101]).ShouldBe(-1);
    }
}
