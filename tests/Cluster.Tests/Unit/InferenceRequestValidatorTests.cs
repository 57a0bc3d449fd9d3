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
    public void DuplicateOrUnknownRequestedOutputsAreRejected()
    {
        var inputs = new[] { TensorData.From<float>("a", [1f, 2], 1, 2), TensorData.From<long>("b", [1L], 1) };

        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(new InferenceRequest(null, [.. inputs], ["y", "y"]), Signature, 4));
        Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestValidator.Validate(new InferenceRequest(null, [.. inputs], ["z"]), Signature, 4));
    }
}
