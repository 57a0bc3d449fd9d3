using System.Runtime.InteropServices;
using Cluster.Protocol.V2;
using Cluster.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>The v2 gRPC service, called through a client generated from the same .proto.</summary>
public sealed class GrpcTests(ServingFixture serving) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{serving.Silo.GrpcPort}");

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task HealthMetadataAndReadinessAnswer()
    {
        (await Client.ServerLiveAsync(new ServerLiveRequest())).Live.ShouldBeTrue();
        (await Client.ServerReadyAsync(new ServerReadyRequest())).Ready.ShouldBeTrue();
        (await Client.ServerMetadataAsync(new ServerMetadataRequest())).Extensions.ShouldContain("binary_tensor_data");
        (await Client.ModelReadyAsync(new ModelReadyRequest { Name = "scale", Version = "1" })).Ready.ShouldBeTrue();

        var metadata = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "scale" });
        metadata.Versions.ShouldBe(["1", "2"]);
        metadata.Platform.ShouldBe("onnxruntime_onnx");
        metadata.Inputs.Single().Name.ShouldBe("x");
        metadata.Inputs.Single().Datatype.ShouldBe("FP32");
        metadata.Inputs.Single().Shape.ShouldBe([-1L, 2L]);
    }

    [Fact]
    public async Task TypedAndRawInputsGiveTheSameOutputsAsJson()
    {
        var typed = new ModelInferRequest { ModelName = "scale", ModelVersion = "1", Id = "typed" };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Contents = new InferTensorContents() };
        x.Shape.AddRange([2, 2]);
        x.Contents.Fp32Contents.AddRange([1f, -2f, 0.5f, 3f]);
        typed.Inputs.Add(x);

        var raw = new ModelInferRequest { ModelName = "scale", ModelVersion = "1" };
        var rawX = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32" };
        rawX.Shape.AddRange([2, 2]);
        raw.Inputs.Add(rawX);
        raw.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes<float>([1f, -2f, 0.5f, 3f])));

        var fromTyped = await Client.ModelInferAsync(typed);
        var fromRaw = await Client.ModelInferAsync(raw);
        var (_, fromJson) = await Post(serving.Http, "/v2/models/scale/versions/1/infer", new { inputs = new[] { Tensor("x", "FP32", [2, 2], new[] { 1f, -2f, 0.5f, 3f }) } });

        fromTyped.Id.ShouldBe("typed");
        fromTyped.ModelVersion.ShouldBe("1");
        fromTyped.Outputs.Single().Shape.ShouldBe([2L, 2L]);
        var typedValues = MemoryMarshal.Cast<byte, float>(fromTyped.RawOutputContents.Single().Span).ToArray();
        typedValues.ShouldBe([2f, -4f, 1f, 6f]);
        MemoryMarshal.Cast<byte, float>(fromRaw.RawOutputContents.Single().Span).ToArray().ShouldBe(typedValues);
        Floats(fromJson.GetProperty("outputs")[0]).ShouldBe(typedValues);
    }

    [Fact]
    public async Task ErrorsMapToStatusCodesAndTheGatewayKeepsServing()
    {
        async Task<StatusCode> Code(ModelInferRequest request)
        {
            var error = await Should.ThrowAsync<RpcException>(async () => await Client.ModelInferAsync(request));
            error.Status.Detail.Length.ShouldBeGreaterThan(10);
            return error.StatusCode;
        }
        ModelInferRequest Request(string model, string datatype, long[] shape, Action<ModelInferRequest.Types.InferInputTensor, ModelInferRequest>? fill = null)
        {
            var request = new ModelInferRequest { ModelName = model };
            var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = datatype, Contents = new InferTensorContents() };
            input.Shape.AddRange(shape);
            request.Inputs.Add(input);
            if (fill is null) input.Contents.Fp32Contents.AddRange([1f, 2f]);
            else fill(input, request);
            return request;
        }

        (await Code(Request("no-such-model", "FP32", [1, 2]))).ShouldBe(StatusCode.NotFound);
        (await Code(Request("scale", "FP32", [1, 3]))).ShouldBe(StatusCode.InvalidArgument, "data does not match the shape");
        (await Code(Request("scale", "INT32", [1, 2], (i, _) => i.Contents.IntContents.AddRange([1, 2])))).ShouldBe(StatusCode.InvalidArgument, "wrong datatype");
        (await Code(Request("scale", "FLOAT9", [1, 2]))).ShouldBe(StatusCode.InvalidArgument);
        (await Code(Request("scale", "FP32", [-1, 2]))).ShouldBe(StatusCode.InvalidArgument);
        (await Code(Request("scale", "FP32", [1, 2], (i, r) => r.RawInputContents.Add(ByteString.CopyFrom(new byte[3]))))).ShouldBe(StatusCode.InvalidArgument, "raw bytes not matching the shape");
        (await Code(Request("identity-int8", "INT8", [1, 3], (i, _) =>
        {
            i.Name = "input";
            i.Contents.IntContents.AddRange([1, 2, 300]);
        }))).ShouldBe(StatusCode.InvalidArgument, "300 is no INT8");
        var unknownVersion = Request("scale", "FP32", [1, 2]);
        unknownVersion.ModelVersion = "9";
        (await Code(unknownVersion)).ShouldBe(StatusCode.NotFound);

        var ok = await Client.ModelInferAsync(Request("scale", "FP32", [1, 2]));
        ok.RawOutputContents.Single().Length.ShouldBe(8);
    }
}
