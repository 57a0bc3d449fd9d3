using System.Runtime.InteropServices;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shouldly;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// The v2 gRPC inference rules (KServe Open Inference Protocol's grpc_predict_v2.proto, with Triton's
/// parameters), one test per rule, through a client generated from the proto; docs/PROTOCOL.md lists them.
/// </summary>
public sealed class GrpcProtocolRulesTests(ServingFixture serving) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{serving.Silo.GrpcPort}");

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    /// <summary>A request to <c>scale</c> (x FP32 [-1,2]) with x typed, or raw when <paramref name="raw"/>.</summary>
    private static ModelInferRequest Scale(bool raw = false, string model = "scale", string version = "1")
    {
        var request = new ModelInferRequest { ModelName = model, ModelVersion = version };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32" };
        x.Shape.AddRange([1, 2]);
        request.Inputs.Add(x);
        if (raw)
        {
            request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes<float>([1f, 2f])));
        }
        else
        {
            x.Contents = new InferTensorContents();
            x.Contents.Fp32Contents.AddRange([1f, 2f]);
        }
        return request;
    }

    private async Task<string> Refusal(ModelInferRequest request, StatusCode code = StatusCode.InvalidArgument)
    {
        var error = await Should.ThrowAsync<RpcException>(async () => await Client.ModelInferAsync(request));
        error.StatusCode.ShouldBe(code, error.Status.Detail);
        return error.Status.Detail;
    }

    [Fact]
    public async Task RawInputContentsForbidTypedContentsOnAnyInput()
    {
        var request = Scale(raw: true);
        request.Inputs[0].Contents = new InferTensorContents();
        request.Inputs[0].Contents.Fp32Contents.AddRange([1f, 2f]);

        var error = await Refusal(request);

        error.ShouldContain("'x'");
        error.ShouldContain("raw_input_contents");
    }

    [Fact]
    public async Task RawInputContentsHoldExactlyOneEntryPerInput()
    {
        var request = Scale(raw: true);
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[8]));

        (await Refusal(request)).ShouldContain("raw_input_contents");
    }

    [Fact]
    public async Task AnInputWithoutContentsOrRawContentsIsInvalidNamingIt()
    {
        var request = Scale();
        request.Inputs[0].Contents = null;

        (await Refusal(request)).ShouldContain("'x'");
    }

    [Fact]
    public async Task TypedValuesBelongInTheContentsFieldOfTheInputsDatatypeAlone()
    {
        var misplaced = Scale();
        misplaced.Inputs[0].Contents = new InferTensorContents();
        misplaced.Inputs[0].Contents.IntContents.AddRange([1, 2]);
        var doubled = Scale();
        doubled.Inputs[0].Contents.Fp64Contents.AddRange([1d, 2d]);

        foreach (var request in new[] { misplaced, doubled })
        {
            var error = await Refusal(request);
            error.ShouldContain("'x'");
            error.ShouldContain(request == misplaced ? "int_contents" : "fp64_contents");
        }
    }

    [Fact]
    public async Task Fp16MustComeAsRawInputContents()
    {
        var request = new ModelInferRequest { ModelName = TestModels.IdentityName(TensorDataType.FP16) };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP16", Contents = new InferTensorContents() };
        input.Shape.AddRange([1, 3]);
        input.Contents.Fp32Contents.AddRange([1f, 2f, 3f]);
        request.Inputs.Add(input);

        var error = await Refusal(request);

        error.ShouldContain("'input'");
        error.ShouldContain("raw_input_contents");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    public async Task RawContentsMustBeTheShapesElementCountTimesTheElementSize(int bytes)
    {
        var request = Scale(raw: true);
        request.RawInputContents[0] = ByteString.CopyFrom(new byte[bytes]);

        var error = await Refusal(request);

        error.ShouldContain("'x'");
        error.ShouldContain("needs 8");
    }

    [Fact]
    public async Task ARawBoolElementIsTheByteZeroOrOne()
    {
        var request = new ModelInferRequest { ModelName = TestModels.IdentityName(TensorDataType.Bool) };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "BOOL" };
        input.Shape.AddRange([1, 3]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom([1, 7, 0]));

        var error = await Refusal(request);

        error.ShouldContain("'input'");
        error.ShouldContain("element 1");
    }

    [Theory]
    [InlineData("string")]
    [InlineData("negative")]
    [InlineData("unset")]
    public async Task TimeoutIsAPositiveInt64Param(string form)
    {
        var request = Scale();
        request.Parameters["timeout"] = form switch
        {
            "string" => new InferParameter { StringParam = "1000" },
            "negative" => new InferParameter { Int64Param = -5 },
            _ => new InferParameter(),
        };

        (await Refusal(request)).ShouldContain("'timeout'");
    }

    [Fact]
    public async Task RoutingKeyIsAStringParam()
    {
        var request = Scale();
        request.Parameters["routing_key"] = new InferParameter { Int64Param = 5 };

        (await Refusal(request)).ShouldContain("'routing_key'");
    }

    [Fact]
    public async Task AParameterWithoutAValueIsInvalidNamingIt()
    {
        var request = Scale();
        request.Parameters["custom"] = new InferParameter();

        (await Refusal(request)).ShouldContain("'custom'");
    }

    [Theory]
    [InlineData("output", "classification")]
    [InlineData("output", "shared_memory_region")]
    [InlineData("input", "shared_memory_region")]
    [InlineData("request", "sequence_id")]
    public async Task ParametersOfExtensionsWeDoNotServeAreInvalidNotIgnored(string on, string parameter)
    {
        var request = Scale();
        var value = parameter == "classification" ? new InferParameter { Int64Param = 2 } : new InferParameter { StringParam = "region" };
        if (on == "request")
        {
            request.Parameters[parameter] = new InferParameter { Int64Param = 42 };
        }
        else if (on == "input")
        {
            request.Inputs[0].Parameters[parameter] = value;
        }
        else
        {
            var output = new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" };
            output.Parameters[parameter] = value;
            request.Outputs.Add(output);
        }

        var error = await Refusal(request);

        error.ShouldContain(parameter);
        error.ShouldContain("extension");
    }

    [Fact]
    public async Task CustomParametersWithValuesAreAccepted()
    {
        var request = Scale();
        request.Parameters["my_flag"] = new InferParameter { BoolParam = true };
        request.Inputs[0].Parameters["note"] = new InferParameter { StringParam = "a" };
        var output = new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" };
        output.Parameters["binary_data"] = new InferParameter { BoolParam = true };
        request.Outputs.Add(output);

        (await Client.ModelInferAsync(request)).Outputs.Single().Name.ShouldBe("y");
    }

    [Fact]
    public async Task AnUnknownRequestedOutputIsInvalidNamingIt()
    {
        var request = Scale();
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "nope" });

        (await Refusal(request)).ShouldContain("'nope'");
    }

    [Fact]
    public async Task AnInputGivenTwiceIsInvalidNamingIt()
    {
        var request = Scale();
        request.Inputs.Add(request.Inputs[0].Clone());

        (await Refusal(request)).ShouldContain("'x'");
    }

    [Fact]
    public async Task TheResponseEchoesTheIdAndNamesTheModelAndTheVersionThatServed()
    {
        var request = Scale(version: "stable");
        request.Id = "rule-g12";

        var response = await Client.ModelInferAsync(request);

        response.Id.ShouldBe("rule-g12");
        response.ModelName.ShouldBe("scale");
        response.ModelVersion.ShouldBe("1");
    }

    [Fact]
    public async Task OutputsComeBackRawOnePerOutputWithoutTypedContents()
    {
        var response = await Client.ModelInferAsync(Scale());

        response.RawOutputContents.Count.ShouldBe(response.Outputs.Count);
        response.Outputs.ShouldAllBe(o => o.Contents == null);
        MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray().ShouldBe([2f, 4f]);
    }

    [Fact]
    public async Task AnUnknownModelOrVersionIsNotFoundNamingIt()
    {
        (await Refusal(Scale(model: "no-such-model"), StatusCode.NotFound)).ShouldContain("'no-such-model'");
        (await Refusal(Scale(version: "9"), StatusCode.NotFound)).ShouldContain("'9'");
        var ready = await Should.ThrowAsync<RpcException>(async () => await Client.ModelReadyAsync(new ModelReadyRequest { Name = "no-such-model" }));
        ready.StatusCode.ShouldBe(StatusCode.NotFound);
        var metadata = await Should.ThrowAsync<RpcException>(async () => await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "no-such-model" }));
        metadata.StatusCode.ShouldBe(StatusCode.NotFound);
    }

    [Fact]
    public async Task AVersionThatIsNotReadyIsUnavailableWithTheReason()
    {
        var request = new ModelInferRequest { ModelName = "broken" };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Contents = new InferTensorContents() };
        x.Shape.AddRange([1, 4]);
        x.Contents.Fp32Contents.AddRange([1f, 2f, 3f, 4f]);
        request.Inputs.Add(x);

        (await Refusal(request, StatusCode.Unavailable)).ShouldContain("failed to load");
    }
}
