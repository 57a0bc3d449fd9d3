using System.Text;
using Cluster.Errors;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class BytesTensorTests
{
    [Fact]
    public void ElementsAreLengthPrefixedLittleEndianAndDecodeBackExactly()
    {
        byte[][] elements = [[], "ab"u8.ToArray(), [0xFF, 0x00, 0xC3]];

        var data = BytesTensor.Encode(elements);

        data.ShouldBe(new byte[] { 0, 0, 0, 0, 2, 0, 0, 0, (byte)'a', (byte)'b', 3, 0, 0, 0, 0xFF, 0x00, 0xC3 });
        BytesTensor.Decode(data).ShouldBe(elements);
        BytesTensor.TryCount(data, out var count, out _).ShouldBeTrue();
        count.ShouldBe(3);
    }

    [Fact]
    public void StringsTravelAsUtf8AndComeBackUnchanged()
    {
        string[] text = ["", "plain", "poisson 🐟", "Ω≈ç√", "line\nbreak \"quoted\""];

        var tensor = TensorData.FromStrings("t", text, 5, 1);

        tensor.DataType.ShouldBe(TensorDataType.Bytes);
        tensor.Shape.ShouldBe([5L, 1L]);
        tensor.ToStrings().ShouldBe(text);
        tensor.ToByteStrings()[2].ShouldBe(Encoding.UTF8.GetBytes("poisson 🐟"));
        BytesTensor.IsUtf8(tensor.Data).ShouldBeTrue();
        BytesTensor.IsUtf8(BytesTensor.Encode([[0xC3, 0x28]])).ShouldBeFalse();
        Should.Throw<DecoderFallbackException>(() => TensorData.FromByteStrings("t", [[0xC3, 0x28]], 1).ToStrings());
        Should.Throw<ArgumentException>(() => TensorData.FromStrings("t", ["a"], 2));
    }

    [Theory]
    [InlineData(new byte[] { 5, 0, 0, 0, 1, 2 }, "element 0 claims 5 bytes, but only 2 follow")]
    [InlineData(new byte[] { 1, 0, 0, 0, 9, 7, 7 }, "2 byte(s) after element 0 are too few")]
    [InlineData(new byte[] { 0, 0 }, "2 byte(s) at the start are too few")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, "claims 4294967295 bytes")]
    public void PrefixesThatDoNotExactlyCoverTheDataAreRefused(byte[] data, string reason)
    {
        BytesTensor.TryCount(data, out _, out var problem).ShouldBeFalse();
        problem.ShouldNotBeNull().ShouldContain(reason);

        Should.Throw<InvalidInferenceRequestException>(() => BytesTensor.Validate("text", data, 1)).Message.ShouldContain(reason);
        Should.Throw<FormatException>(() => BytesTensor.Decode(data));
    }

    [Fact]
    public void TheElementCountMustMatchTheShape()
    {
        var data = BytesTensor.Encode(["a"u8.ToArray(), "b"u8.ToArray()]);

        Should.NotThrow(() => BytesTensor.Validate("text", data, 2));
        Should.Throw<InvalidInferenceRequestException>(() => BytesTensor.Validate("text", data, 3))
            .Message.ShouldBe("Input 'text' carries 2 BYTES elements; its shape needs 3.");
        Should.NotThrow(() => BytesTensor.Validate("empty", [], 0));
    }

    [Fact]
    public void SkipWalksWholeElementsOfVaryingLength()
    {
        var data = BytesTensor.Encode(["x"u8.ToArray(), [], "long element"u8.ToArray(), "z"u8.ToArray()]);

        BytesTensor.Skip(data, 0, 0).ShouldBe(0);
        BytesTensor.Skip(data, 0, 2).ShouldBe(9);
        BytesTensor.Skip(data, 9, 2).ShouldBe(data.Length);
        Should.Throw<InvalidOperationException>(() => BytesTensor.Skip(data, 9, 3));
    }
}
