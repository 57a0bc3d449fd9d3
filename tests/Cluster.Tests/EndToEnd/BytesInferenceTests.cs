using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cluster.Protocol.V2;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// BYTES (string) tensors over JSON, the binary extension, gRPC and the client, against the
/// strings test model (Identity and LabelEncoder both ways), checked with ONNX Runtime run directly.
/// </summary>
public sealed class BytesInferenceTests(ServingFixture serving) : IDisposable
{
    /// <summary>Three rows of two: known words, an empty string, non-ASCII text and an unknown word.</summary>
    private static readonly string[] Mixed = ["cat", "", "poisson 🐟", "unknown word", "Ω≈ç√", "chien"];

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{serving.Silo.GrpcPort}");

    private GRPCInferenceService.GRPCInferenceServiceClient Grpc => new(_channel);

    public void Dispose() => _channel.Dispose();

    /// <summary>The strings model's three outputs.</summary>
    private sealed record Answer(string[] Echo, long[] Ids, string[] Names)
    {
        public void ShouldEqual(Answer expected, string how)
        {
            Echo.ShouldBe(expected.Echo, how);
            Ids.ShouldBe(expected.Ids, how);
            Names.ShouldBe(expected.Names, how);
        }
    }

    [Fact]
    public async Task JsonBinaryGrpcAndClientAnswerExactlyAsOnnxRuntimeDoes()
    {
        var expected = Direct(Mixed);
        expected.Ids.ShouldBe([1L, 0, 3, -1, 4, 2]);

        (await ViaJson("strings", Mixed)).ShouldEqual(expected, "JSON");
        (await ViaBinary("strings", Mixed)).ShouldEqual(expected, "binary extension");
        (await ViaGrpc("strings", Mixed, raw: false)).ShouldEqual(expected, "gRPC bytes_contents");
        (await ViaGrpc("strings", Mixed, raw: true)).ShouldEqual(expected, "gRPC raw_input_contents");
        (await ViaClient("strings", Mixed)).ShouldEqual(expected, "client");
    }

    [Fact]
    public async Task ConcurrentStringRequestsShareBatchesAndEachGetsItsOwnRows()
    {
        var random = new Random(9);
        string[] vocabulary = [.. TestModels.Words, "unknown", "ünïcödé", "a much longer string than the others, to vary row lengths"];
        var inputs = Enumerable.Range(0, 30)
            .Select(i => Enumerable.Range(0, 2 * (1 + i % 3)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToArray())
            .ToArray();

        var answers = await Task.WhenAll(inputs.Select((text, i) => (i % 5) switch
        {
            0 => ViaJson("strings-batched", text),
            1 => ViaBinary("strings-batched", text),
            2 => ViaGrpc("strings-batched", text, raw: false),
            3 => ViaGrpc("strings-batched", text, raw: true),
            _ => ViaClient("strings-batched", text),
        }));

        for (var i = 0; i < inputs.Length; i++) answers[i].ShouldEqual(Direct(inputs[i]), $"request {i}");
        var stats = await serving.Client.GetBatchingStatsAsync("strings-batched");
        stats.Batches.ShouldBeLessThan(stats.Requests, "string requests arriving together must share batches");
        stats.Failed.ShouldBe(0);
    }

    [Fact]
    public async Task BytesThatAreNotUtf8TravelBinaryAndAreRefusedAsJsonStrings()
    {
        byte[][] elements = [[0xFF, 0xFE, 0x00], "ok"u8.ToArray()];
        var data = BytesTensor.Encode(elements);
        var input = $$$"""{"name":"text","datatype":"BYTES","shape":[1,2],"parameters":{"binary_data_size":{{{data.Length}}}}}""";

        var (status, json, _) = await SendBinary("strings", $$"""{"inputs":[{{input}}]}""", data);
        status.ShouldBe(HttpStatusCode.BadRequest);
        json.GetProperty("error").GetString()!.ShouldContain("Output 'echo' holds BYTES that are not valid UTF-8");
        json.GetProperty("error").GetString()!.ShouldContain("binary_data");

        (status, json, var binary) = await SendBinary("strings",
            $$$"""{"inputs":[{{{input}}}],"outputs":[{"name":"echo","parameters":{"binary_data":true}},{"name":"names"}]}""", data);
        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        binary.ShouldBe(data, "the echo comes back byte for byte");
        Strings(Output(json, "names")).ShouldBe(["?", "?"]);

        var grpc = new ModelInferRequest { ModelName = "strings" };
        grpc.Inputs.Add(GrpcInput("text", "BYTES", [1, 2]));
        grpc.RawInputContents.Add(ByteString.CopyFrom(data));
        var reply = await Grpc.ModelInferAsync(grpc);
        reply.RawOutputContents[reply.Outputs.ToList().FindIndex(o => o.Name == "echo")].ToByteArray().ShouldBe(data);
    }

    public static TheoryData<string, string, string, byte[]?, string> MalformedHttp() => new()
    {
        { "prefix longer than the data", "strings", """{"name":"text","datatype":"BYTES","shape":[1,2],"parameters":{"binary_data_size":10}}""", [1, 0, 0, 0, 97, 9, 0, 0, 0, 98], "element 1 claims 9 bytes" },
        { "trailing bytes", "strings", """{"name":"text","datatype":"BYTES","shape":[1,2],"parameters":{"binary_data_size":11}}""", [1, 0, 0, 0, 97, 1, 0, 0, 0, 98, 7], "too few for a 4-byte length prefix" },
        { "more elements than the shape", "strings", """{"name":"text","datatype":"BYTES","shape":[1,2],"parameters":{"binary_data_size":12}}""", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "carries 3 BYTES elements; its shape needs 2" },
        { "JSON count not matching the shape", "strings", """{"name":"text","datatype":"BYTES","shape":[1,2],"data":["a"]}""", null, "its shape needs 2" },
        { "number in place of a string", "strings", """{"name":"text","datatype":"BYTES","shape":[1,2],"data":["a",5]}""", null, "element 1 (5) is not a string" },
        { "BYTES to an FP32 input", "scale", """{"name":"x","datatype":"BYTES","shape":[1,2],"data":["a","b"]}""", null, "has datatype BYTES; the model expects FP32" },
        { "numbers to a string input", "strings", """{"name":"text","datatype":"FP32","shape":[1,2],"data":[1,2]}""", null, "has datatype FP32; the model expects BYTES" },
    };

    [Theory]
    [MemberData(nameof(MalformedHttp))]
    public async Task MalformedBytesAre400OverHttpAndTheGatewayKeepsServing(string what, string model, string input, byte[]? binary, string reason)
    {
        var (status, json, _) = await SendBinary(model, $$"""{"inputs":[{{input}}]}""", binary ?? []);

        status.ShouldBe(HttpStatusCode.BadRequest, what);
        json.GetProperty("error").GetString()!.ShouldContain(reason, Case.Sensitive, what);
        (await ViaJson("strings", Mixed)).ShouldEqual(Direct(Mixed), "after " + what);
    }

    [Fact]
    public async Task MalformedBytesAreInvalidArgumentOverGrpcAndTheGatewayKeepsServing()
    {
        async Task Refused(string what, string model, string name, string datatype, Action<ModelInferRequest, ModelInferRequest.Types.InferInputTensor> fill, string reason)
        {
            var request = new ModelInferRequest { ModelName = model };
            var input = GrpcInput(name, datatype, [1, 2]);
            request.Inputs.Add(input);
            fill(request, input);
            var error = await Should.ThrowAsync<RpcException>(async () => await Grpc.ModelInferAsync(request));
            error.StatusCode.ShouldBe(StatusCode.InvalidArgument, what);
            error.Status.Detail.ShouldContain(reason, Case.Sensitive, what);
        }
        void Elements(ModelInferRequest.Types.InferInputTensor input, params string[] values)
        {
            input.Contents = new InferTensorContents();
            input.Contents.BytesContents.AddRange(values.Select(ByteString.CopyFromUtf8));
        }

        await Refused("prefix longer than the data", "strings", "text", "BYTES", (r, _) => r.RawInputContents.Add(ByteString.CopyFrom([1, 0, 0, 0, 97, 9, 0, 0, 0, 98])), "claims 9 bytes");
        await Refused("trailing bytes", "strings", "text", "BYTES", (r, _) => r.RawInputContents.Add(ByteString.CopyFrom([1, 0, 0, 0, 97, 1, 0, 0, 0, 98, 7])), "too few");
        await Refused("bytes_contents not matching the shape", "strings", "text", "BYTES", (_, i) => Elements(i, "a", "b", "c"), "carries 3 BYTES elements");
        await Refused("BYTES to an FP32 input", "scale", "x", "BYTES", (_, i) => Elements(i, "a", "b"), "the model expects FP32");

        (await ViaGrpc("strings", Mixed, raw: false)).ShouldEqual(Direct(Mixed), "after the refusals");
    }

    [Fact]
    public async Task MetadataReportsBytesForStringTensors()
    {
        var (status, metadata) = await Get(serving.Http, "/v2/models/strings");

        status.ShouldBe(HttpStatusCode.OK);
        var input = metadata.GetProperty("inputs").EnumerateArray().Single();
        input.GetProperty("datatype").GetString().ShouldBe("BYTES");
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([-1L, 2L]);
        metadata.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("datatype").GetString()).ShouldBe(["BYTES", "INT64", "BYTES"]);

        var grpc = await Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = "strings" });
        grpc.Inputs.Single().Datatype.ShouldBe("BYTES");
        grpc.Outputs.Select(o => o.Datatype).ShouldBe(["BYTES", "INT64", "BYTES"]);
    }

    private Answer Direct(string[] text)
    {
        var (strings, longs) = DirectOnnx.RunStrings(serving.StringsPath, "text", text, [text.Length / 2, 2]);
        return new Answer(strings["echo"], longs["ids"], strings["names"]);
    }

    private async Task<Answer> ViaJson(string model, string[] text)
    {
        // Nested rows, and the serializer escapes non-ASCII as \uXXXX: both must read back exactly.
        var rows = text.Chunk(2).ToArray();
        var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("text", "BYTES", [rows.Length, 2], rows) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        Output(body, "echo").GetProperty("datatype").GetString().ShouldBe("BYTES");
        return new Answer(
            Strings(Output(body, "echo")),
            [.. Output(body, "ids").GetProperty("data").EnumerateArray().Select(e => e.GetInt64())],
            Strings(Output(body, "names")));
    }

    private async Task<Answer> ViaBinary(string model, string[] text)
    {
        var data = TensorData.FromStrings("text", text, text.Length / 2, 2).Data;
        var (status, json, binary) = await SendBinary(model,
            $$$"""{"parameters":{"binary_data_output":true},"inputs":[{"name":"text","datatype":"BYTES","shape":[{{{text.Length / 2}}},2],"parameters":{"binary_data_size":{{{data.Length}}}}}]}""", data);
        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        var outputs = new Dictionary<string, byte[]>();
        var offset = 0;
        foreach (var output in json.GetProperty("outputs").EnumerateArray())
        {
            var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
            outputs[output.GetProperty("name").GetString()!] = binary[offset..(offset + size)];
            offset += size;
        }
        offset.ShouldBe(binary.Length);
        return FromRaw(outputs);
    }

    private async Task<Answer> ViaGrpc(string model, string[] text, bool raw)
    {
        var request = new ModelInferRequest { ModelName = model };
        var input = GrpcInput("text", "BYTES", [text.Length / 2, 2]);
        request.Inputs.Add(input);
        if (raw)
        {
            request.RawInputContents.Add(ByteString.CopyFrom(TensorData.FromStrings("text", text, text.Length / 2, 2).Data));
        }
        else
        {
            input.Contents = new InferTensorContents();
            input.Contents.BytesContents.AddRange(text.Select(ByteString.CopyFromUtf8));
        }
        var reply = await Grpc.ModelInferAsync(request);
        reply.Outputs.Select(o => o.Datatype).ShouldBe(["BYTES", "INT64", "BYTES"]);
        return FromRaw(reply.Outputs.Select((o, i) => (o.Name, Data: reply.RawOutputContents[i].ToByteArray())).ToDictionary(o => o.Name, o => o.Data));
    }

    private async Task<Answer> ViaClient(string model, string[] text)
    {
        var response = await serving.Client.InferAsync(model, [TensorData.FromStrings("text", text, text.Length / 2, 2)]);
        return new Answer(response.Output("echo").ToStrings(), response.Output("ids").ToArray<long>(), response.Output("names").ToStrings());
    }

    private async Task<(HttpStatusCode Status, JsonElement Json, byte[] Binary)> SendBinary(string model, string json, byte[] binary)
    {
        var header = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent([.. header, .. binary]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await serving.Http.PostAsync($"/v2/models/{model}/infer", content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var jsonLength = response.Headers.TryGetValues("Inference-Header-Content-Length", out var values) ? int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : body.Length;
        return (response.StatusCode, JsonDocument.Parse(body.AsMemory(0, jsonLength)).RootElement.Clone(), body[jsonLength..]);
    }

    private static Answer FromRaw(Dictionary<string, byte[]> outputs) => new(
        [.. BytesTensor.Decode(outputs["echo"]).Select(Encoding.UTF8.GetString)],
        MemoryMarshal.Cast<byte, long>(outputs["ids"]).ToArray(),
        [.. BytesTensor.Decode(outputs["names"]).Select(Encoding.UTF8.GetString)]);

    private static ModelInferRequest.Types.InferInputTensor GrpcInput(string name, string datatype, long[] shape)
    {
        var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype };
        input.Shape.AddRange(shape);
        return input;
    }

    private static string[] Strings(JsonElement output) => [.. output.GetProperty("data").EnumerateArray().Select(e => e.GetString()!)];
}
