using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cluster.Tensors;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Responses many times the writer's flush threshold stream out whole and exact, as JSON and binary.</summary>
public sealed class LargeResponseTests(ServingFixture serving)
{
    [Fact]
    public async Task AManyRowFloatOutputRoundTripsExactlyAsJsonAndBinary()
    {
        const int rows = 64, columns = 8000;
        var x = Enumerable.Range(0, rows * columns).Select(i => (float)(i % 199 - 99)).ToArray();

        var (status, json) = await Post(serving.Http, "/v2/models/probe/infer", new { inputs = new[] { Tensor("x", "FP32", [rows, columns], x) } });
        status.ShouldBe(HttpStatusCode.OK);
        Floats(Output(json, "y")).ShouldBe(x);

        var input = MemoryMarshal.AsBytes(x.AsSpan()).ToArray();
        var (header, binary) = await SendBinary("probe",
            $$$"""{"parameters":{"binary_data_output":true},"inputs":[{"name":"x","datatype":"FP32","shape":[{{{rows}}},{{{columns}}}],"parameters":{"binary_data_size":{{{input.Length}}}}}],"outputs":[{"name":"y"}]}""", input);
        Output(header, "y").GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(input.Length);
        binary.ShouldBe(input);
    }

    [Fact]
    public async Task LongStringsRoundTripExactlyAsJsonAndBinary()
    {
        var random = new Random(3);
        string[] pieces = ["a", "b", "c", "d", "e", "f", "g", "h", " ", "é", "🐟"];
        var text = Enumerable.Range(0, 16)
            .Select(i => i == 5 ? "" : string.Concat(Enumerable.Range(0, 40_000 + i * 1000).Select(_ => pieces[random.Next(pieces.Length)])))
            .ToArray();

        var (status, json) = await Post(serving.Http, "/v2/models/strings/infer",
            new { inputs = new[] { Tensor("text", "BYTES", [8, 2], text) }, outputs = new[] { new { name = "echo" } } });
        status.ShouldBe(HttpStatusCode.OK);
        Output(json, "echo").GetProperty("data").EnumerateArray().Select(e => e.GetString()).ShouldBe(text);

        var input = TensorData.FromStrings("text", text, 8, 2).Data;
        var (header, binary) = await SendBinary("strings",
            $$$"""{"inputs":[{"name":"text","datatype":"BYTES","shape":[8,2],"parameters":{"binary_data_size":{{{input.Length}}}}}],"outputs":[{"name":"echo","parameters":{"binary_data":true}}]}""", input);
        Output(header, "echo").GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(input.Length);
        binary.ShouldBe(input);
    }

    /// <summary>Posts a binary-extension request; checks the answer is 200 with a Content-Length that covers header and binary parts.</summary>
    private async Task<(JsonElement Header, byte[] Binary)> SendBinary(string model, string json, byte[] binary)
    {
        var header = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent([.. header, .. binary]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
        using var response = await serving.Http.PostAsync($"/v2/models/{model}/infer", content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        response.Content.Headers.ContentLength.ShouldBe(body.Length);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        return (JsonDocument.Parse(body.AsMemory(0, jsonLength)).RootElement.Clone(), body[jsonLength..]);
    }
}
