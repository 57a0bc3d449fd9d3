using System.Net;
using System.Text;
using System.Text.Json;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Malformed and hostile requests: each gets a 4xx with a clear error, and the silo keeps serving.</summary>
public sealed class HostileRequestTests(ServingFixture serving)
{
    private const string Good = """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""";

    private static string Tensor(string datatype, string shape, string data, string name = "x") =>
        $$"""{"inputs":[{"name":"{{name}}","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}}]}""";

    public static TheoryData<string, string, string, string?, int> Cases() => new()
    {
        { "empty body", "/v2/models/scale/infer", "", "application/json", 400 },
        { "truncated JSON", "/v2/models/scale/infer", """{"inputs":[{"name":"x","datatype":"FP""", "application/json", 400 },
        { "not an object", "/v2/models/scale/infer", "[1,2,3]", "application/json", 400 },
        { "inputs not an array", "/v2/models/scale/infer", """{"inputs":5}""", "application/json", 400 },
        { "no inputs", "/v2/models/scale/infer", "{}", "application/json", 400 },
        { "unknown top-level field", "/v2/models/scale/infer", """{"inputs":[],"imputs":[]}""", "application/json", 400 },
        { "unknown tensor field", "/v2/models/scale/infer", """{"inputs":[{"name":"x","dtype":"FP32","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", "application/json", 400 },
        { "unknown input name", "/v2/models/scale/infer", Tensor("FP32", "[1,2]", "[1,2]", name: "y"), "application/json", 400 },
        { "duplicate input", "/v2/models/scale/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]},{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", "application/json", 400 },
        { "wrong datatype", "/v2/models/scale/infer", Tensor("INT32", "[1,2]", "[1,2]"), "application/json", 400 },
        { "unknown datatype", "/v2/models/scale/infer", Tensor("FLOAT128", "[1,2]", "[1,2]"), "application/json", 400 },
        { "BYTES to an FP32 input", "/v2/models/scale/infer", Tensor("BYTES", "[1,2]", "[\"a\",\"b\"]"), "application/json", 400 },
        { "huge declared shape, tiny data", "/v2/models/scale/infer", Tensor("FP32", "[1000000000,2]", "[1,2]"), "application/json", 400 },
        { "negative dimension", "/v2/models/scale/infer", Tensor("FP32", "[-1,2]", "[1,2]"), "application/json", 400 },
        { "overflowing dimensions", "/v2/models/scale/infer", Tensor("FP32", "[9223372036854775807,9223372036854775807]", "[1,2]"), "application/json", 400 },
        { "fractional dimension", "/v2/models/scale/infer", Tensor("FP32", "[1.5,2]", "[1,2]"), "application/json", 400 },
        { "wrong rank", "/v2/models/scale/infer", Tensor("FP32", "[2]", "[1,2]"), "application/json", 400 },
        { "data shorter than the shape", "/v2/models/scale/infer", Tensor("FP32", "[2,2]", "[1,2]"), "application/json", 400 },
        { "data longer than the shape", "/v2/models/scale/infer", Tensor("FP32", "[1,2]", "[1,2,3]"), "application/json", 400 },
        { "string where a number belongs", "/v2/models/scale/infer", Tensor("FP32", "[1,2]", "[\"abc\",2]"), "application/json", 400 },
        { "NaN in an integer tensor", "/v2/models/identity-int32/infer", Tensor("INT32", "[1,1]", "[\"NaN\"]", name: "input"), "application/json", 400 },
        { "Infinity in an integer tensor", "/v2/models/identity-int64/infer", Tensor("INT64", "[1,1]", "[\"Infinity\"]", name: "input"), "application/json", 400 },
        { "value out of range", "/v2/models/identity-int8/infer", Tensor("INT8", "[1,1]", "[300]", name: "input"), "application/json", 400 },
        { "deep nesting", "/v2/models/scale/infer", Tensor("FP32", "[1,2]", new string('[', 200) + "1" + new string(']', 200)), "application/json", 400 },
        { "wrong content type", "/v2/models/scale/infer", Good, "text/plain", 415 },
        { "form content type", "/v2/models/scale/infer", "inputs=1", "application/x-www-form-urlencoded", 415 },
        { "path traversal in the model name", "/v2/models/..%2F..%2Fetc%2Fpasswd/infer", Good, "application/json", 404 },
        { "dots as model name", "/v2/models/../infer", Good, "application/json", 404 },
        { "unknown model", "/v2/models/no-such-model/infer", Good, "application/json", 404 },
        { "unknown version", "/v2/models/scale/versions/99/infer", Good, "application/json", 404 },
        { "unknown requested output", "/v2/models/scale/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}],"outputs":[{"name":"nope"}]}""", "application/json", 400 },
        { "id not a string", "/v2/models/scale/infer", """{"id":5,"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", "application/json", 400 },
        { "negative timeout", "/v2/models/scale/infer", """{"parameters":{"timeout":-5},"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", "application/json", 400 },
        { "more rows than max_batch_size", "/v2/models/scale/infer", Tensor("FP32", "[65,2]", "[" + string.Join(",", Enumerable.Repeat("1", 130)) + "]"), "application/json", 400 },
        { "management body that is not JSON", "/api/models/scale/rollouts", "not json", "application/json", 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachGetsAClientErrorWithAReason(string what, string path, string body, string? contentType, int expected)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await serving.Http.PostAsync(path, content);
        ((int)response.StatusCode).ShouldBe(expected, what);
        await ShouldExplain(response, what);
        await StillServes();
    }

    public static TheoryData<string, string, string> BinaryLies() => new()
    {
        { "header longer than the body", "1000", "" },
        { "header not a number", "abc", "" },
        { "binary size not matching the shape", "", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"parameters":{"binary_data_size":4}}]}""" },
        { "bytes no input claims", "", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""" },
    };

    [Theory]
    [MemberData(nameof(BinaryLies))]
    public async Task BinaryExtensionHeadersThatLieAreRefused(string what, string header, string json)
    {
        json = json.Length == 0 ? Good : json;
        var bytes = Encoding.UTF8.GetBytes(json).Concat(new byte[8]).ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length > 0 ? header : Encoding.UTF8.GetByteCount(json).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await serving.Http.PostAsync("/v2/models/scale/infer", content);
        ((int)response.StatusCode).ShouldBe(400, what);
        await ShouldExplain(response, what);
        await StillServes();
    }

    [Fact]
    public async Task MalformedUtf8Is400()
    {
        // (An oversized body is HttpErrorTests.AnOversizedBodyIs413.)
        using (var invalid = new ByteArrayContent([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]))
        {
            invalid.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await serving.Http.PostAsync("/v2/models/scale/infer", invalid);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            await ShouldExplain(response, "malformed UTF-8");
        }
        await StillServes();
    }

    [Fact]
    public async Task TensorsAndRequestsOverTheGatewayLimitsAre413WithTheLimitNamed()
    {
        var elements = ServingFixture.MaxElementsPerTensor + 1;
        var tooBig = $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,{{elements}}],"data":[{{string.Join(",", Enumerable.Repeat("0", (int)elements))}}]}]}""";
        var (status, body) = await PostRaw(serving.Http, "/v2/models/identity-fp32/infer", tooBig);
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        body.GetProperty("error").GetString()!.ShouldContain("Gateway:MaxElementsPerTensor");

        var rows = ServingFixture.MaxRowsPerRequest + 1;
        var tooManyRows = $$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[{{rows}},2],"data":[{{string.Join(",", Enumerable.Repeat("1", rows * 2))}}]}]}""";
        (status, body) = await PostRaw(serving.Http, "/v2/models/scale/infer", tooManyRows);
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        body.GetProperty("error").GetString()!.ShouldContain("Gateway:MaxRowsPerRequest");
        await StillServes();
    }

    private static async Task ShouldExplain(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        document.RootElement.GetProperty("error").GetString()!.Length.ShouldBeGreaterThan(10, $"{what}: {text}");
    }

    private async Task StillServes()
    {
        var (status, body) = await Post(serving.Http, "/v2/models/scale/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });
        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("outputs")[0].GetProperty("data").GetArrayLength().ShouldBe(2);
    }

    private static object Tensor(string name, string datatype, long[] shape, float[] data) => HttpJson.Tensor(name, datatype, shape, data);
}
