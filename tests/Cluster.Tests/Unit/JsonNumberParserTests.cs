extern alias silo;
using System.Globalization;
using System.Text;
using silo::Cluster.Silo.Inference.Json;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class JsonNumberParserTests
{
    private static bool Parse(string text, out double value) => JsonNumberParser.TryParseExact(Encoding.ASCII.GetBytes(text), out value);

    [Fact]
    public void WhateverTheFastPathAnswersIsBitForBitWhatDoubleParseAnswers()
    {
        var random = new Random(11);
        var taken = 0;
        var total = 0;
        string[] formats = ["R", "G9", "G6", "F4", "E3", "E10"];
        for (var i = 0; i < 50_000; i++)
        {
            var magnitude = Math.Pow(10, random.Next(-12, 12));
            var single = (float)((random.NextDouble() * 2 - 1) * magnitude);
            var text = single.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture);
            total++;
            if (!Parse(text, out var fast)) continue;
            taken++;
            BitConverter.DoubleToInt64Bits(fast).ShouldBe(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), text);
        }
        ((double)taken / total).ShouldBeGreaterThan(0.9, "most float texts take the fast path");
    }

    [Fact]
    public void DigitRunsOfEveryLengthParseAsDoubleParseDoes()
    {
        var random = new Random(12);
        var checkedCount = 0;
        for (var length = 1; length <= 19; length++)
        {
            for (var trial = 0; trial < 200; trial++)
            {
                var digits = string.Concat(Enumerable.Range(0, length).Select(k => (char)('0' + (k == 0 ? random.Next(1, 10) : random.Next(0, 10)))));
                var split = random.Next(0, length + 1);
                // Integer digits, fraction digits, leading zeros in the fraction, and a byte after the run that is no digit but near one.
                foreach (var text in new[] { digits, "0." + digits, "0.000" + digits, digits[..Math.Max(1, split)] + "." + digits[Math.Max(1, split)..] + "1", "-" + digits + "e-5" })
                {
                    foreach (var tail in new[] { "", ",", ":", "/", "]" })
                    {
                        var json = Encoding.ASCII.GetBytes(text + tail);
                        if (!JsonNumberParser.TryParsePrefix(json, out var value, out var read)) continue;
                        read.ShouldBe(text.Length, text + tail);
                        BitConverter.DoubleToInt64Bits(value).ShouldBe(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), text + tail);
                        checkedCount++;
                    }
                }
            }
        }
        checkedCount.ShouldBeGreaterThan(20_000);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-0", -0.0)]
    [InlineData("1", 1.0)]
    [InlineData("-12.5", -12.5)]
    [InlineData("0.1", 0.1)]
    [InlineData("1e22", 1e22)]
    [InlineData("1E-22", 1e-22)]
    [InlineData("2.5e+3", 2500.0)]
    [InlineData("9007199254740992", 9007199254740992.0)]
    public void ExactCasesAreTaken(string text, double expected)
    {
        Parse(text, out var value).ShouldBeTrue(text);
        BitConverter.DoubleToInt64Bits(value).ShouldBe(BitConverter.DoubleToInt64Bits(expected));
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("0.12345678901234567")]
    [InlineData("1e23")]
    [InlineData("1e-23")]
    [InlineData("0.000000000000000000000000000000001")]
    [InlineData("12345678901234567890")]
    [InlineData("1e99999")]
    public void CasesThatCouldRoundDifferentlyAreLeftToTheGeneralParser(string text) =>
        Parse(text, out _).ShouldBeFalse(text);

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData("1e")]
    [InlineData("1x")]
    [InlineData("01")]
    [InlineData("-01.5")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("1e+")]
    public void MalformedTextIsNeverTaken(string text) => Parse(text, out _).ShouldBeFalse(text);

    [Theory]
    [InlineData("0.5,", 3, 0.5)]
    [InlineData("-12.25]", 6, -12.25)]
    [InlineData("0 ", 1, 0.0)]
    [InlineData("3e2,4", 3, 300.0)]
    [InlineData("1.5.3", 3, 1.5)]
    public void APrefixIsReadUpToWhereTheNumberEnds(string text, int length, double expected)
    {
        JsonNumberParser.TryParsePrefix(Encoding.ASCII.GetBytes(text), out var value, out var read).ShouldBeTrue(text);
        read.ShouldBe(length);
        value.ShouldBe(expected);
    }
}
