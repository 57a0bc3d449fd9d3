using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cluster.Models;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Google.Protobuf;
using Grpc.Net.Client;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// The gateway lends large input arrays (the PaddleOCR classifier's 110 KB image, over HTTP binary and over gRPC's raw contents)
/// to the cluster and reuses them once a request is answered; the silo reads a .NET client's tensors into lent arrays too. What outlives the answer, a capture record and a shadow's copy, must still hold the bytes its own request sent,
/// while the next requests reuse the arrays.
/// </summary>
public sealed class PooledTensorTests(ServingFixture serving)
{
    private const int Requests = 24;
    private static readonly long[] Shape = [1, 3, 48, 192];

    [Fact]
    public async Task CapturedAndShadowedRequestsKeepTheirOwnInputsWhileLaterRequestsReuseTheArrays()
    {
        var model = $"pool-{Guid.NewGuid():N}"[..12];
        var classifier = await File.ReadAllBytesAsync(serving.PaddlePath, TestContext.Current.CancellationToken);
        await serving.Client.UploadVersionAsync(model, "1", classifier);
        await serving.Client.UploadVersionAsync(model, "2", classifier);
        var (status, body) = await PutRaw(serving.Http, $"/api/models/{model}/config",
            """{"max_batch_size": 8, "dynamic_batching": {"max_queue_delay_microseconds": 2000}, "capture": {"fraction": 1.0}}""");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        await serving.Client.SetTrafficAsync(model, new Dictionary<string, double> { ["1"] = 100 }, shadows: [new ShadowTarget("2", 1)]);
        await Poll.Until(async () => (await Get(serving.Http, $"/v2/models/{model}/versions/1/ready")).Status == HttpStatusCode.OK);

        // Each request a different image, in turn over HTTP binary, gRPC and the .NET client; four at a time, so some share batches
        // (whose joined arrays are lent too).
        var images = Enumerable.Range(0, Requests).Select(Image).ToArray();
        var answers = new (float[] Probabilities, string Id)[Requests];
        for (var start = 0; start < Requests; start += 4)
        {
            await Task.WhenAll(Enumerable.Range(start, 4).Select(async i => answers[i] = (i % 3) switch
            {
                0 => await Infer(model, $"img-{i}", images[i]),
                1 => await InferGrpc(model, $"img-{i}", images[i]),
                _ => await InferClient(model, $"img-{i}", images[i]),
            }));
        }

        var records = await Poll.For(() => Captures(model), r => r.Length >= Requests);
        var byId = records.Where(r => r.GetProperty("arm").GetString() == "primary").ToDictionary(r => r.GetProperty("id").GetString()!);
        for (var i = 0; i < Requests; i++)
        {
            var record = byId[$"img-{i}"];
            Floats(record.GetProperty("inputs")[0]).ShouldBe(images[i], $"record img-{i} holds the image its request sent");
            Floats(record.GetProperty("outputs")[0]).ShouldBe(answers[i].Probabilities);
        }
        // The shadow is the same model: on the request's own bytes it agrees with the primary to the last bit.
        var shadow = await Poll.For(() => serving.Client.GetShadowComparisonAsync(model, "2"),
            c => c.Mirrored >= Requests && c.Latency.Count + c.Failed >= c.Mirrored);
        shadow.Failed.ShouldBe(0);
        shadow.Outputs.Values.Single().MaxAbsDifference.ShouldBe(0);
    }

    [Fact]
    public async Task GrpcRawContentsArriveInLentArrays()
    {
        var image = Image(99);
        var before = await RentedArrays();
        // One at a time: a request batched alone goes to ONNX Runtime in its own array, so only the gRPC parse can have rented.
        for (var i = 0; i < 3; i++) (await InferGrpc("paddle-cls", $"lent-{i}", image)).Item1.Length.ShouldBe(2);
        // The exporter answers scrapes from a copy a few hundred milliseconds old.
        (await Poll.For(RentedArrays, after => after - before >= 3, TimeSpan.FromSeconds(10)) - before).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task ClientTensorsArriveInLentArraysThatLaterRequestsReuse()
    {
        var images = Enumerable.Range(200, 4).Select(Image).ToArray();
        var (rented, reused) = (await RentedArrays(), await ReusedArrays());
        // One at a time: a request batched alone goes to ONNX Runtime in its own array, so only the silo's read of the call rents,
        // and each request after the first finds the array its predecessor's router gave back.
        var answers = new float[images.Length][];
        for (var i = 0; i < images.Length; i++) answers[i] = (await InferClient("paddle-cls", $"client-lent-{i}", images[i])).Item1;

        (await Poll.For(RentedArrays, after => after - rented >= images.Length, TimeSpan.FromSeconds(10)) - rented).ShouldBeGreaterThanOrEqualTo(images.Length);
        (await Poll.For(ReusedArrays, after => after - reused >= images.Length - 1, TimeSpan.FromSeconds(10)) - reused).ShouldBeGreaterThanOrEqualTo(images.Length - 1);
        // Each answer is its own image's: the same image over HTTP binary, whose array the silo does not share with the client's, agrees to the bit.
        for (var i = 0; i < images.Length; i++) answers[i].ShouldBe((await Infer("paddle-cls", $"check-{i}", images[i])).Item1, 1e-5f);
    }

    private Task<long> RentedArrays() => Counter("cluster_tensor_buffers_rented_total");

    private Task<long> ReusedArrays() => Counter("cluster_tensor_buffers_reused_total");

    private async Task<long> Counter(string name)
    {
        var text = await serving.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var line = text.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static float[] Image(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 3 * 48 * 192).Select(_ => (float)random.NextDouble())];
    }

    private async Task<(float[], string)> Infer(string model, string id, float[] image)
    {
        var header = JsonSerializer.Serialize(new
        {
            id,
            inputs = new[] { new { name = "x", datatype = "FP32", shape = Shape, parameters = new { binary_data_size = image.Length * 4 } } },
        });
        var answer = await BinaryHttp.Send(serving.Http, $"/v2/models/{model}/infer", header, MemoryMarshal.AsBytes(image.AsSpan()).ToArray());
        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Json.ToString());
        answer.Json.GetProperty("id").GetString().ShouldBe(id);
        return (Floats(answer.Json.GetProperty("outputs")[0]), id);
    }

    private async Task<(float[], string)> InferGrpc(string model, string id, float[] image)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{serving.Silo.GrpcPort}");
        var request = new ModelInferRequest { ModelName = model, Id = id };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32" };
        input.Shape.AddRange(Shape);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(image.AsSpan())));
        var response = await new GRPCInferenceService.GRPCInferenceServiceClient(channel).ModelInferAsync(request);
        response.Id.ShouldBe(id);
        return (MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray(), id);
    }

    private async Task<(float[], string)> InferClient(string model, string id, float[] image)
    {
        var response = await serving.Client.InferAsync(model, [TensorData.From<float>("x", image, Shape)], id: id);
        response.Id.ShouldBe(id);
        return (response.Outputs[0].ToArray<float>(), id);
    }

    private async Task<JsonElement[]> Captures(string model)
    {
        // Asked while the writer may be appending a record: the export must still be whole lines of JSON.
        var text = await serving.Http.GetStringAsync($"/api/models/{model}/captures", TestContext.Current.CancellationToken);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
