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

    private async Task<(HttpStatusCode Status, JsonElement Json, byte[] Binary)> Send(string json, byte[] binary, int? headerLength = null)
    {
        var header = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent([.. header, .. binary]);
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

    [Theory]
    [InlineData(16, 32, null, "needs 32")]
    [InlineData(32, 36, null, "no input claims")]
    [InlineData(32, 16, null, "only 16 remain")]
    [InlineData(32, 32, 100000, "no larger than the body")]
    public async Task InconsistentBinaryBodiesAre400(int declared, int sent, int? headerLength, string reason)
    {
        var (status, json, _) = await Send(
            $$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":{{{declared}}}}}]}""", new byte[sent], headerLength);

        status.ShouldBe(HttpStatusCode.BadRequest);
        json.GetProperty("error").GetString()!.ShouldContain(reason);
    }
}
