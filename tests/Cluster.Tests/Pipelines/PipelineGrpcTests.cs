using System.Runtime.InteropServices;
using Cluster.Protocol.V2;
using Cluster.Tests.Support;
using Grpc.Net.Client;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>A pipeline over the v2 gRPC service: its own metadata on the ensemble platform, and inference.</summary>
public sealed class PipelineGrpcTests(PipelineSiloFixture silo) : IClassFixture<PipelineSiloFixture>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{silo.Silo.GrpcPort}");

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task ThePipelinesMetadataAndAnswersOverGrpcMatchOnnxRuntime()
    {
        float[] x = [0.15f, -0.1f, 0.05f, 0.2f];
        var request = new ModelInferRequest { ModelName = "ensemble" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Contents = new InferTensorContents() };
        input.Shape.AddRange([1, 4]);
        input.Contents.Fp32Contents.AddRange(x);
        request.Inputs.Add(input);

        var metadata = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "ensemble" });
        var response = await Client.ModelInferAsync(request);

        metadata.Platform.ShouldBe("ensemble");
        metadata.Inputs.Single().Shape.ShouldBe([-1L, 4L]);
        metadata.Outputs.Single().Name.ShouldBe("mean");
        var a = DirectOnnx.RunFloat(silo.SmallPath, "x", x, [1, 4])["probabilities"];
        var b = DirectOnnx.RunFloat(silo.LargePath, "x", x, [1, 4])["probabilities"];
        MemoryMarshal.Cast<byte, float>(response.RawOutputContents.Single().Span).ToArray()
            .ShouldBe([.. a.Select((v, i) => (v + b[i]) / 2)], tolerance: 1e-6f);
    }
}
