using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// A repository entry that cannot be served is listed as not ready with its reason everywhere a
/// user looks (Triton's repository index says UNAVAILABLE with the reason), instead of vanishing
/// behind "unknown model"; fixing the file brings it up.
/// </summary>
public sealed class RepositoryErrorTests(ServingFixture serving)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private Task<(HttpStatusCode Status, JsonElement Body)> Infer(string model) =>
        Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });

    private async Task<JsonElement?> IndexEntry(string model)
    {
        var (_, index) = await Post(serving.Http, "/v2/repository/index", new { });
        return index.EnumerateArray().Where(e => e.GetProperty("name").GetString() == model).Select(e => (JsonElement?)e).FirstOrDefault();
    }

    [Fact]
    public async Task AModelWithATypoInItsConfigIsListedNotReadyWithTheKeyAndTheFileUntilTheFileIsFixed()
    {
        var model = Unique("typo");
        var folder = Path.Combine(serving.Repository.Root, model);
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        var configPath = Path.Combine(folder, "config.json");
        // The config first, so the poll never sees the version without it.
        await File.WriteAllTextAsync(configPath, "{\n  \"max_batch_size\": 8,\n  \"max_queue_sise\": 4\n}");
        await File.WriteAllBytesAsync(Path.Combine(folder, "1", "model.onnx"), TestModels.Scale(2f));

        var entry = (await Poll.For(() => IndexEntry(model), e => e is not null, TimeSpan.FromSeconds(30)))!.Value;
        entry.GetProperty("state").GetString().ShouldBe("UNAVAILABLE");
        var reason = entry.GetProperty("reason").GetString()!;
        reason.ShouldContain(configPath, Case.Sensitive, "the file is named");
        reason.ShouldContain("unknown key 'max_queue_sise' (line 3)");

        var (metadataStatus, metadata) = await Get(serving.Http, $"/v2/models/{model}");
        metadataStatus.ShouldBe(HttpStatusCode.OK);
        metadata.GetProperty("parameters").GetProperty("state").GetString().ShouldBe("FAILED");
        metadata.GetProperty("parameters").GetProperty("reason").GetString().ShouldBe(reason);
        (await Get(serving.Http, $"/v2/models/{model}/ready")).Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var (inferStatus, refused) = await Infer(model);
        inferStatus.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.GetProperty("error").GetString()!.ShouldContain("unknown key 'max_queue_sise'");
        var (_, status) = await Get(serving.Http, "/api/status");
        var row = status.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == model).GetProperty("versions")[0];
        row.GetProperty("state").GetString().ShouldBe("FAILED");
        row.GetProperty("reason").GetString().ShouldBe(reason);

        await File.WriteAllTextAsync(configPath, "{\"max_batch_size\": 8}");

        await Poll.For(() => IndexEntry(model), e => e?.GetProperty("state").GetString() == "READY", TimeSpan.FromSeconds(30));
        var (served, body) = await Infer(model);
        served.ShouldBe(HttpStatusCode.OK, body.ToString());
        Floats(body.GetProperty("outputs")[0]).ShouldBe([2f, 4f]);
    }

    [Fact]
    public async Task TheStatusPageShowsWhyAVersionDoesNotServe()
    {
        var (_, status) = await Get(serving.Http, "/api/status");
        var broken = status.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "broken").GetProperty("versions")[0];
        var reason = broken.GetProperty("reason").GetString()!;
        reason.ShouldStartWith("[ErrorCode:InvalidProtobuf]", Case.Sensitive, "ONNX Runtime's reason for the corrupt file");

        var dom = await HeadlessChromium.DumpDom($"http://127.0.0.1:{serving.Silo.HttpPort}/", TimeSpan.FromSeconds(5));

        var row = System.Text.RegularExpressions.Regex.Match(dom, "<tr data-model=\"broken\">.*?</tr>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        row.ShouldContain("FAILED");
        row.ShouldContain("<div class=\"reason\">[ErrorCode:InvalidProtobuf]", Case.Sensitive, "the load failure's reason is shown under the state: " + row);
    }
}
