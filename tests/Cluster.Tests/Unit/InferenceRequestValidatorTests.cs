using Cluster.Errors;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Routing;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class InferenceRequestValidatorTests
{
    private static readonly ModelSignature Signature = new(
        [new TensorSpec("a", TensorDataType.FP32, [-1, 2]), new TensorSpec("b", TensorDataType.Int64, [-1])],
        [new TensorSpec("y", TensorDataType.FP32, [-1])]);

    private static InferenceRequest Request(params TensorData[] inputs) => new(null, [.. inputs], []);

    [Fact]
    public void AMatchingRequestPasses()
    {
        var request = Request(TensorData.From<float>("a", [1f, 2, 3, 4], 2, 2), TensorData.From<long>("b", [1L, 2], 2));

        Should.NotThrow(() => InferenceRequestValidator.Validate(request, Signature, maxBatchSize: 4));
    }

    [Fact]
    public void InputsDisagreeingOnRowsAreRejected()
    {
        var request = Request(TensorData.From<float>("a", [1f, 2, 3, 4], 2, 2), TensorData.From<long>("b", [1L], 1));

        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(request, Signature, 4))
            .Message.ShouldContain("disagree");
    }

    [Fact]
    public void AFixedBatchModelAcceptsAnyRowsItsShapeAllows()
    {
        var request = Request(TensorData.From<float>("a", [1f, 2, 3, 4, 5, 6], 3, 2), TensorData.From<long>("b", [1L, 2], 2));

        Should.NotThrow(() => InferenceRequestValidator.Validate(request, Signature, maxBatchSize: 0));
    }

    [Fact]
    public void DataLengthMustMatchTheShape()
    {
        var bad = new TensorData("a", TensorDataType.FP32, [1, 2], new byte[12]);

        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(Request(bad, TensorData.From<long>("b", [1L], 1)), Signature, 4))
            .Message.ShouldContain("needs 2");
    }

    [Fact]
    public void AnInputGivenTwiceOrLeftOutIsRejectedByName()
    {
        var a = TensorData.From<float>("a", [1f, 2], 1, 2);
        var b = TensorData.From<long>("b", [1L], 1);

        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(Request(a, b, a), Signature, 4))
            .Message.ShouldBe("Input 'a' is given twice.");
        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(Request(b, b), Signature, 4))
            .Message.ShouldBe("Input 'b' is given twice.");
        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(Request(b), Signature, 4))
            .Message.ShouldStartWith("Missing input 'a'");
        Should.NotThrow(() => InferenceRequestValidator.Validate(Request(b, a), Signature, 4));
    }

    [Fact]
    public void DuplicateOrUnknownRequestedOutputsAreRejected()
    {
        var inputs = new[] { TensorData.From<float>("a", [1f, 2], 1, 2), TensorData.From<long>("b", [1L], 1) };

        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(new InferenceRequest(null, [.. inputs], ["y", "y"]), Signature, 4));
        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(new InferenceRequest(null, [.. inputs], ["z"]), Signature, 4));
    }

    private static readonly ModelSignature Text = new([new TensorSpec("t", TensorDataType.Bytes, [-1, 2])], [new TensorSpec("ids", TensorDataType.Int64, [-1, 2])]);

    [Fact]
    public void BytesAreAcceptedWhereTheModelTakesStrings()
    {
        var request = Request(TensorData.FromStrings("t", ["", "é", "🐟", "x"], 2, 2));

        Should.NotThrow(() => InferenceRequestValidator.Validate(request, Text, maxBatchSize: 4));
    }

    [Fact]
    public void BytesAndNumbersAreNotMixedUp()
    {
        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(Request(TensorData.From<long>("t", [1L, 2], 1, 2)), Text, 4))
            .Message.ShouldBe("Input 't' has datatype INT64; the model expects BYTES.");
        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(
                Request(TensorData.FromStrings("a", ["1", "2"], 1, 2), TensorData.From<long>("b", [1L], 1)), Signature, 4))
            .Message.ShouldBe("Input 'a' has datatype BYTES; the model expects FP32.");
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a', 9, 0, 0, 0, (byte)'b' }, "claims 9 bytes")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a', 1, 0, 0, 0, (byte)'b', 0 }, "too few for a 4-byte length prefix")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a', 1, 0, 0, 0, (byte)'b', 0, 0, 0, 0 }, "carries 3 BYTES elements; its shape needs 2")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a' }, "carries 1 BYTES elements; its shape needs 2")]
    public void MalformedBytesAreRefusedNamingTheProblem(byte[] data, string reason)
    {
        var request = Request(new TensorData("t", TensorDataType.Bytes, [1, 2], data));

        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(request, Text, 4)).Message.ShouldContain(reason);
    }
}
