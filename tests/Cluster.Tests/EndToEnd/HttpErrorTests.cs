using System.Net;
using System.Text.Json;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Each bad request gets the right status and a clear error, and the silo keeps serving.</summary>
public sealed class HttpErrorTests(ServingFixture serving)
{
    private const string Good = """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}]}""";

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "malformed JSON", "demo-mlp", """{"inputs":[{"name":"x",""" },
        { "not an object", "demo-mlp", "[1,2,3]" },
        { "trailing garbage", "demo-mlp", Good + "}" },
        { "no inputs", "demo-mlp", """{"id":"a"}""" },
        { "inputs not an array", "demo-mlp", """{"inputs":{"name":"x"}}""" },
        { "unknown input", "demo-mlp", """{"inputs":[{"name":"y","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}]}""" },
        { "missing input", "scale", """{"inputs":[]}""" },
        { "duplicate input", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]},{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}]}""" },
        { "wrong datatype", "demo-mlp", """{"inputs":[{"name":"x","datatype":"INT64","shape":[1,4],"data":[1,2,3,4]}]}""" },
        { "unknown datatype", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FLOAT","shape":[1,4],"data":[1,2,3,4]}]}""" },
        { "BYTES to an FP32 input", "demo-mlp", """{"inputs":[{"name":"x","datatype":"BYTES","shape":[1],"data":["abc"]}]}""" },
        { "wrong rank", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[4],"data":[1,2,3,4]}]}""" },
        { "wrong dims", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,2],"data":[1,2,3,4]}]}""" },
        { "negative dim", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[-1,4],"data":[1,2,3,4]}]}""" },
        { "zero rows", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[0,4],"data":[]}]}""" },
        { "too few elements", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3]}]}""" },
        { "too many elements", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4,5]}]}""" },
        { "huge shape", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[4611686018427387904,4],"data":[1,2,3,4]}]}""" },
        { "string in data", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,"two",3,4]}]}""" },
        { "object in data", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,{},3,4]}]}""" },
        { "out of range INT8", "identity-int8", """{"inputs":[{"name":"input","datatype":"INT8","shape":[1,3],"data":[1,300,3]}]}""" },
        { "fraction for INT32", "identity-int32", """{"inputs":[{"name":"input","datatype":"INT32","shape":[1,3],"data":[1,2.5,3]}]}""" },
        { "number for BOOL", "identity-bool", """{"inputs":[{"name":"input","datatype":"BOOL","shape":[1,3],"data":[1,0,1]}]}""" },
        { "FP32 overflow", "identity-fp32", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,3],"data":[1,1e39,3]}]}""" },
        { "missing shape", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","data":[1,2,3,4]}]}""" },
        { "missing data", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4]}]}""" },
        { "unknown output", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}],"outputs":[{"name":"nope"}]}""" },
        { "rows over max_batch_size", "paddle-cls", """{"inputs":[{"name":"x","datatype":"FP32","shape":[9,3,48,192],"data":[]}]}""" },
        { "fixed batch dim differs", "fixed-batch", """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,3],"data":[1,2,3,4,5,6]}]}""" },
        { "binary extension", "demo-mlp", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"parameters":{"binary_data_size":16}}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestsAre400WithAClearErrorAndTheSiloKeepsServing(string why, string model, string body)
    {
        var (status, error) = await PostRaw(serving.Http, $"/v2/models/{model}/infer", body);

        status.ShouldBe(HttpStatusCode.BadRequest, $"{why}: {error}");
        error.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
        await AssertStillServing();
    }

    [Theory]
    [InlineData("/v2/models/no-such-model/infer")]
    [InlineData("/v2/models/demo-mlp/versions/7/infer")]
    [InlineData("/v2/models/demo-mlp/versions/canary/infer")]
    [InlineData("/v2/models/bad%20name/infer")]
    public async Task UnknownModelsAndVersionsAre404(string path)
    {
        var (status, error) = await PostRaw(serving.Http, path, Good);

        status.ShouldBe(HttpStatusCode.NotFound);
        error.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
        await AssertStillServing();
    }

    [Fact]
    public async Task AVersionThatFailedToLoadIs503WithTheReason()
    {
        var (status, error) = await PostRaw(serving.Http, "/v2/models/broken/infer", Good);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        error.GetProperty("error").GetString()!.ShouldContain("failed to load");
        await AssertStillServing();
    }

    [Fact]
    public async Task AnOversizedBodyIs413()
    {
        var huge = new string(' ', (int)ServingFixture.MaxBodyBytes + 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/demo-mlp/infer")
        {
            Content = new StringContent(Good + huge, System.Text.Encoding.UTF8, "application/json"),
        };
        // Waiting for 100-continue lets the server refuse before the body is sent, so the refusal is always readable.
        request.Headers.ExpectContinue = true;
        using var response = await serving.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var status = response.StatusCode;
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        error.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
        await AssertStillServing();
    }

    private async Task AssertStillServing()
    {
        var (status, body) = await PostRaw(serving.Http, "/v2/models/demo-mlp/infer", Good);
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("outputs").GetArrayLength().ShouldBe(2);
    }
}
