using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// Triton's repository and statistics extensions as its clients use them: the index filtered to ready versions,
/// a load that brings its own config and model file, statistics of every model in one call, and an empty
/// request told which inputs the model takes.
/// </summary>
public sealed class RepositoryExtensionTests(ServingFixture serving)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];

    private async Task<string[]> IndexedVersions(string model, object body)
    {
        var (status, index) = await Post(serving.Http, "/v2/repository/index", body);
        status.ShouldBe(HttpStatusCode.OK, index.ToString());
        return [.. index.EnumerateArray().Where(e => e.GetProperty("name").GetString() == model).Select(e => $"{e.GetProperty("version").GetString()}:{e.GetProperty("state").GetString()}")];
    }

    [Fact]
    public async Task TheIndexListsOnlyReadyVersionsWhenAskedForReadyOnes()
    {
        var model = Unique("index");
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await serving.Client.UploadVersionAsync(model, "2", TestModels.Scale(2f));
        (await Post(serving.Http, $"/api/models/{model}/versions/1/unload", new { })).Status.ShouldBe(HttpStatusCode.OK);

        (await IndexedVersions(model, new { })).ShouldBe(["1:UNAVAILABLE", "2:READY"], ignoreOrder: true);
        (await IndexedVersions(model, new { ready = false })).ShouldBe(["1:UNAVAILABLE", "2:READY"], ignoreOrder: true);
        (await IndexedVersions(model, new { ready = true })).ShouldBe(["2:READY"]);

        var (status, error) = await PostRaw(serving.Http, "/v2/repository/index", """{"ready": "yes"}""");
        status.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString()!.ShouldContain("'ready' must be true or false");
        (await PostRaw(serving.Http, "/v2/repository/index", """{"ready": tru""")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ALoadCanBringItsConfigAndItsModelFile()
    {
        var model = Unique("loaded");
        var load = new Dictionary<string, object>
        {
            ["parameters"] = new Dictionary<string, string>
            {
                ["config"] = """{"max_batch_size": 4}""",
                ["file:1/model.onnx"] = Convert.ToBase64String(TestModels.Scale(3f)),
            },
        };

        var (status, body) = await Post(serving.Http, $"/v2/repository/models/{model}/load", load);

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var (inferred, answer) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, -2f }) } });
        inferred.ShouldBe(HttpStatusCode.OK, answer.ToString());
        Floats(Output(answer, "y")).ShouldBe([3f, -6f]);
        var (_, info) = await Get(serving.Http, $"/api/models/{model}");
        info.GetProperty("versions")[0].GetProperty("config").GetProperty("max_batch_size").GetInt32().ShouldBe(4, info.ToString());
        var (tooMany, refusal) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [5, 2], new float[10]) } });
        tooMany.ShouldBe(HttpStatusCode.BadRequest, "the overriding config's max_batch_size applies");
        refusal.GetProperty("error").GetString()!.ShouldContain("at most 4");
    }

    [Theory]
    [InlineData("""{"parameters": {"colour": "red"}}""", "Unknown load parameter 'colour'")]
    [InlineData("""{"parameters": {"file:1/model.onnx": "AAAA"}}""", "needs a 'config' override too")]
    [InlineData("""{"parameters": {"config": "{}", "file:1/weights.bin": "AAAA"}}""", "'file:1/weights.bin' is not supported")]
    [InlineData("""{"parameters": {"config": "{}", "file:1/model.onnx": "not base64!"}}""", "must be the file's bytes in base64")]
    [InlineData("""{"parameters": {"config": "{\"max_batch_sise\": 4}"}}""", "The config override is not valid")]
    [InlineData("""{"parameters": {"config": 7}}""", "Parameter 'config' must be a string")]
    public async Task ALoadWithABadOverrideIsRefusedNamingTheProblem(string body, string problem)
    {
        var model = Unique("refused");
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));

        var (status, error) = await PostRaw(serving.Http, $"/v2/repository/models/{model}/load", body);

        status.ShouldBe(HttpStatusCode.BadRequest, error.ToString());
        error.GetProperty("error").GetString()!.ShouldContain(problem);
        var (_, info) = await Get(serving.Http, $"/api/models/{model}");
        info.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()).ShouldBe(["1"], "a refused load changes nothing");
    }

    [Fact]
    public async Task StatisticsOfEveryReadyVersionComeInOneAnswer()
    {
        var model = Unique("stats");
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await serving.Client.UploadVersionAsync(model, "2", TestModels.Scale(2f));
        (await Post(serving.Http, $"/api/models/{model}/versions/1/unload", new { })).Status.ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 3; i++)
        {
            (await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } })).Status.ShouldBe(HttpStatusCode.OK);
        }

        var entries = await Poll.For(async () =>
        {
            var (status, body) = await Get(serving.Http, "/v2/models/stats");
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            return body.GetProperty("model_stats").EnumerateArray().Where(e => e.GetProperty("name").GetString() == model).ToArray();
        }, e => e.Length == 1 && e[0].GetProperty("inference_count").GetInt64() == 3);

        entries.Single().GetProperty("version").GetString().ShouldBe("2", "only ready versions are listed");
        var (_, single) = await Get(serving.Http, $"/v2/models/{model}/stats");
        single.GetProperty("model_stats")[0].GetProperty("inference_count").GetInt64().ShouldBe(3);
    }

    [Fact]
    public async Task ARequestWithoutInputsIsToldWhichInputsTheModelTakes()
    {
        var model = Unique("empty");
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));

        var (status, error) = await PostRaw(serving.Http, $"/v2/models/{model}/infer", """{"inputs": []}""");

        status.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString().ShouldBe("The request has no inputs; the model's inputs are 'x' (FP32 [-1,2]).");
    }
}
