using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cluster.Modeling;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.EndToEnd;

public sealed class BinaryTensorDataTests(ServingFixture serving)
{
    private static readonly float[] X = [1, 2, 3, 4, 0.5f, -1, 0, 2];

    private async Task<(HttpStatusCode Status, JsonElement Json, byte[] Binary)> Send(string json, byte[] binary, int? headerLength = null, bool chunked = false)
    {
        var header = Encoding.UTF8.GetBytes(json);
        using HttpContent content = chunked ? new ChunkedContent([.. header, .. binary]) : new ByteArrayContent([.. header, .. binary]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", (headerLength ?? header.Length).ToString());
        using var response = await serving.Http.PostAsync("/v2/models/demo-mlp/infer", content);
        var body = await response.Content.ReadAsByteArrayAsync();
        var jsonLength = response.Headers.TryGetValues("Inference-Header-Content-Length", out var values) ? int.Parse(values.Single()) : body.Length;
        return (response.StatusCode, JsonDocument.Parse(body.AsMemory(0, jsonLength)).RootElement.Clone(), body[jsonLength..]);
    }

    [Fact]
    public async Task BinaryInputsAndOutputsCarryExactlyTheJsonPathsValues()
    {
        var input = MemoryMarshal.AsBytes(X.AsSpan()).ToArray();

        var (status, json, binary) = await Send(
            """{"parameters":{"binary_data_output":true},"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""", input);

        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        var outputs = json.GetProperty("outputs").EnumerateArray().ToArray();
        foreach (var output in outputs)
        {
            output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(24);
            output.TryGetProperty("data", out _).ShouldBeFalse();
        }
        binary.Length.ShouldBe(48);
        var (logits, probabilities) = DemoMlp.Compute(X);
        DirectOnnx.MaxAbsDiff(logits, MemoryMarshal.Cast<byte, float>(binary.AsSpan(0, 24)).ToArray()).ShouldBeLessThanOrEqualTo(1e-4f);
        DirectOnnx.MaxAbsDiff(probabilities, MemoryMarshal.Cast<byte, float>(binary.AsSpan(24, 24)).ToArray()).ShouldBeLessThanOrEqualTo(1e-5f);
    }

    [Fact]
    public async Task JsonAndBinaryMixPerOutput()
    {
        var (status, json, binary) = await Send(
            """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"data":[1,2,3,4,0.5,-1,0,2]}],"outputs":[{"name":"logits"},{"name":"probabilities","parameters":{"binary_data":true}}]}""", []);

        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        var outputs = json.GetProperty("outputs");
        outputs[0].GetProperty("data").GetArrayLength().ShouldBe(6);
        outputs[1].GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(24);
        DirectOnnx.MaxAbsDiff(DemoMlp.Compute(X).Probabilities, MemoryMarshal.Cast<byte, float>(binary).ToArray()).ShouldBeLessThanOrEqualTo(1e-5f);
    }

    [Fact]
    public async Task AChunkedBodyWithoutContentLengthIsReadAsTheSizedOne()
    {
        var input = MemoryMarshal.AsBytes(X.AsSpan()).ToArray();
        const string header = """{"parameters":{"binary_data_output":true},"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""";

        var sized = await Send(header, input);
        var chunked = await Send(header, input, chunked: true);

        chunked.Status.ShouldBe(HttpStatusCode.OK, chunked.Json.ToString());
        chunked.Binary.ShouldBe(sized.Binary);
        chunked.Binary.Length.ShouldBe(48);
    }

    [Theory]
    [InlineData(16, 32, null, false, "needs 32")]
    [InlineData(32, 36, null, false, "no input claims")]
    [InlineData(32, 16, null, false, "only 16 remain")]
    [InlineData(32, 32, 100000, false, "no larger than the body")]
    [InlineData(16, 32, null, true, "needs 32")]
    [InlineData(32, 36, null, true, "4 bytes that no input claims")]
    [InlineData(32, 16, null, true, "only 16 remain")]
    [InlineData(32, 32, 100000, true, "no larger than the body")]
    public async Task InconsistentBinaryBodiesAre400(int declared, int sent, int? headerLength, bool chunked, string reason)
    {
        var (status, json, _) = await Send(
            $$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":{{{declared}}}}}]}""", new byte[sent], headerLength, chunked);

        status.ShouldBe(HttpStatusCode.BadRequest);
        json.GetProperty("error").GetString()!.ShouldContain(reason);

        // The gateway keeps serving after each.
        var (okStatus, okJson, _) = await Send(
            """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""", MemoryMarshal.AsBytes(X.AsSpan()).ToArray(), chunked: chunked);
        okStatus.ShouldBe(HttpStatusCode.OK, okJson.ToString());
    }

    [Fact]
    public async Task AChunkedClaimBeyondTheBodyLimitIsRefusedBeforeAnyArrayIsMade()
    {
        var (status, json, _) = await Send(
            """{"inputs":[{"name":"x","datatype":"FP32","shape":[25000000,4],"parameters":{"binary_data_size":400000000}}]}""", new byte[32], chunked: true);

        status.ShouldBe(HttpStatusCode.BadRequest);
        json.GetProperty("error").GetString()!.ShouldContain("more than a request body may hold");
    }

    /// <summary>A body whose length is not known up front, so HttpClient sends it chunked, without Content-Length.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
