using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class TrafficTests(ServingFixture serving)
{
    private async Task<string> ModelWithTwoVersions()
    {
        var model = $"ab-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await serving.Client.UploadVersionAsync(model, "2", TestModels.Scale(2f), label: "canary");
        return model;
    }

    private async Task<HttpStatusCode> PutTraffic(string model, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await serving.Http.PutAsync($"/api/models/{model}/traffic", content);
        return response.StatusCode;
    }

    private async Task<string> Served(string model, string? routingKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer")
        {
            Content = new StringContent("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,1]}]}""", Encoding.UTF8, "application/json"),
        };
        if (routingKey is not null) request.Headers.Add("X-Routing-Key", routingKey);
        using var response = await serving.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var version = body.RootElement.GetProperty("model_version").GetString()!;
        body.RootElement.GetProperty("outputs")[0].GetProperty("data")[0].GetSingle().ShouldBe(float.Parse(version), "the output comes from the version the response names");
        return version;
    }

    [Fact]
    public async Task A9010SplitServesBothVersionsInProportion()
    {
        var model = await ModelWithTwoVersions();
        (await PutTraffic(model, """{"weights": {"1": 90, "canary": 10}, "sticky": false}""")).ShouldBe(HttpStatusCode.OK);

        var served = new List<string>();
        for (var batch = 0; batch < 25; batch++) served.AddRange(await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Served(model))));

        var second = served.Count(v => v == "2");
        var expected = served.Count * 0.1;
        var chi = (second - expected) * (second - expected) / expected + (second - expected) * (second - expected) / (served.Count - expected);
        chi.ShouldBeLessThan(10.83, $"{second} of {served.Count} went to version 2");
        var (_, traffic) = await Get(serving.Http, $"/api/models/{model}/traffic");
        traffic.GetProperty("weights").GetProperty("canary").GetDouble().ShouldBe(10);
    }

    [Fact]
    public async Task ARoutingKeyStaysOnItsVersionAndPinnedVersionsBypassTheSplit()
    {
        var model = await ModelWithTwoVersions();
        (await PutTraffic(model, """{"weights": {"1": 50, "2": 50}, "sticky": true}""")).ShouldBe(HttpStatusCode.OK);

        foreach (var user in Enumerable.Range(0, 8).Select(i => $"user-{i}"))
        {
            var first = await Served(model, user);
            for (var i = 0; i < 5; i++) (await Served(model, user)).ShouldBe(first);
        }
        var (_, pinned) = await Post(serving.Http, $"/v2/models/{model}/versions/1/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 1f }) } });
        pinned.GetProperty("model_version").GetString().ShouldBe("1");
    }

    [Fact]
    public async Task ReweightingMovesAboutTheChangedShareOfKeysAndOnlyTowardTheGainingVersion()
    {
        var model = await ModelWithTwoVersions();
        var keys = Enumerable.Range(0, 400).Select(i => $"customer-{i}").ToArray();
        (await PutTraffic(model, """{"weights": {"1": 90, "2": 10}, "sticky": true}""")).ShouldBe(HttpStatusCode.OK);
        var before = await ServedPerKey(model, keys);
        (await PutTraffic(model, """{"weights": {"1": 80, "2": 20}, "sticky": true}""")).ShouldBe(HttpStatusCode.OK);
        // Routers apply new weights with their next catalog refresh. Sticky routing moves no key while the
        // weights stay, so once any of the first 100 keys has moved (about 10 should), every later request sees the new weights.
        await Poll.Until(async () => (await ServedPerKey(model, keys[..100])).Any(served => before[served.Key] != served.Value));
        var after = await ServedPerKey(model, keys);

        var moved = keys.Count(k => before[k] != after[k]) / (double)keys.Length;
        moved.ShouldBeInRange(0.04, 0.16, "10 % of the weight moved: about 10 % of keys (±4 standard deviations for 400 keys)");
        keys.ShouldAllBe(k => before[k] == after[k] || (before[k] == "1" && after[k] == "2"));
    }

    private async Task<Dictionary<string, string>> ServedPerKey(string model, string[] keys)
    {
        var served = new Dictionary<string, string>();
        foreach (var chunk in keys.Chunk(16))
        {
            var versions = await Task.WhenAll(chunk.Select(k => Served(model, k)));
            for (var i = 0; i < chunk.Length; i++) served[chunk[i]] = versions[i];
        }
        return served;
    }

    [Fact]
    public async Task WeightsMustNameVersionsAndAWeightedVersionCannotBeDeleted()
    {
        var model = await ModelWithTwoVersions();

        (await PutTraffic(model, """{"weights": {"7": 100}}""")).ShouldBe(HttpStatusCode.BadRequest);
        (await PutTraffic(model, """{"weights": {"1": 0}}""")).ShouldBe(HttpStatusCode.BadRequest);
        (await PutTraffic(model, """{"weights": {"1": 100, "2": 1}}""")).ShouldBe(HttpStatusCode.OK);
        (await PutTraffic(model, """{"weights": {"1": 100, "2": 1}, "shadows": [{"version": "2", "fraction": 1.5}]}""")).ShouldBe(HttpStatusCode.BadRequest);
        (await PutTraffic(model, """{"weights": {"1": 100, "2": 1}, "shadows": [{"version": "9", "fraction": 0.5}]}""")).ShouldBe(HttpStatusCode.BadRequest);

        using (var response = await serving.Http.DeleteAsync($"/api/models/{model}/versions/1"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }
        var (_, error) = await Get(serving.Http, $"/api/models/{model}");
        error.GetProperty("versions").GetArrayLength().ShouldBe(2);
    }
}
