extern alias silo;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using silo::Cluster.Silo.Inference.Json;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class SwarDigitsTests
{
    // Digits and the bytes either side of them, which a careless check takes for digits; bytes with the high bit set, where adding 6 carries.
    private static readonly byte[] Alphabet = [.. "0123456789/:.,-eE ]"u8, 0x00, 0x29, 0x3A, 0x40, 0xF9, 0xFA, 0xFF];

    [Fact]
    public void EightBytesAreTakenForDigitsExactlyWhenEachIsOneAndThenReadAsTheirNumber()
    {
        var random = new Random(31);
        var taken = 0;
        for (var trial = 0; trial < 20_000; trial++)
        {
            // Half of the words are all digits, so both answers get exercised.
            var bytes = Enumerable.Range(0, 8).Select(_ => trial % 2 == 0 ? (byte)('0' + random.Next(10)) : Alphabet[random.Next(Alphabet.Length)]).ToArray();
            var word = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            var allDigits = bytes.All(b => b is >= (byte)'0' and <= (byte)'9');

            SwarDigits.AreEight(word).ShouldBe(allDigits, Convert.ToHexString(bytes));
            SwarDigits.AreFour((uint)word).ShouldBe(bytes.Take(4).All(b => b is >= (byte)'0' and <= (byte)'9'), Convert.ToHexString(bytes));
            if (!allDigits) continue;
            taken++;
            var text = Encoding.ASCII.GetString(bytes);
            SwarDigits.Eight(word).ShouldBe(uint.Parse(text, CultureInfo.InvariantCulture), text);
            SwarDigits.Four((uint)word).ShouldBe(uint.Parse(text[..4], CultureInfo.InvariantCulture), text);
        }
        taken.ShouldBeGreaterThan(10_000);
    }
}
