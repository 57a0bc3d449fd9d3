using System.Net;
using System.Text.Json;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Tensors;
using System.Text.RegularExpressions;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>The status page's history charts: drawn with uPlot (served by the silo) from the statistics grains' per-minute ring.</summary>
public sealed partial class StatusHistoryTests(ServingFixture serving)
{
    private async Task<long> HistoryRequests(string model)
    {
        var (status, body) = await Get(serving.Http, $"/api/models/{model}/history");
        status.ShouldBe(HttpStatusCode.OK);
        return body.GetProperty("versions").EnumerateArray().Sum(v => v.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task TheHistoryChartsShowRequestsServedBeforeThePageWasOpened()
    {
        var before = await HistoryRequests("demo-mlp");
        for (var i = 0; i < 30; i++)
        {
            (await Post(serving.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, i }) } })).Status.ShouldBe(HttpStatusCode.OK);
        }
        // Batch workers push their statistics once a second into the version's per-minute ring.
        var recorded = await Poll.For(() => HistoryRequests("demo-mlp"), requests => requests >= before + 30, TimeSpan.FromSeconds(30));
        var (_, history) = await Get(serving.Http, "/api/models/demo-mlp/history");
        var minute = history.GetProperty("versions")[0].GetProperty("minutes").EnumerateArray().Last();
        minute.GetProperty("p99_ms").GetDouble().ShouldBeGreaterThan(0);
        minute.GetProperty("t").GetInt64().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());
        var script = await serving.Http.GetAsync("/static/uplot/uPlot.iife.min.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await script.Content.ReadAsStringAsync()).ShouldContain("uPlot", Case.Sensitive, "the library is served by the silo, not a CDN");
        (await Get(serving.Http, "/api/models/no-such-model/history")).Status.ShouldBe(HttpStatusCode.NotFound);

        var dom = await HeadlessChromium.DumpDom($"http://127.0.0.1:{serving.Silo.HttpPort}/", TimeSpan.FromSeconds(5));

        var section = Section().Matches(dom).Select(m => m.Value).FirstOrDefault(s => s.Contains("data-model=\"demo-mlp\"", StringComparison.Ordinal));
        section.ShouldNotBeNull("the page drew a history section for demo-mlp: " + dom[..Math.Min(dom.Length, 2000)]);
        long.Parse(Regex.Match(section, "data-requests=\"([0-9]+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThanOrEqualTo(recorded, "the chart holds every request of the last hour, all served before the page opened");
        section.ShouldContain("class=\"uplot", Case.Sensitive, "uPlot drew the charts");
        section.ShouldContain("<canvas", Case.Sensitive);
        foreach (var chart in new[] { "requests per minute", "p50 ms", "p99 ms", "errors per minute", "drift score (PSI)" }) section.ShouldContain($"demo-mlp · {chart}");
    }

    [Fact]
    public async Task TheHistoryChartsShowDriftAndAccuracyRecordedBeforeThePageWasOpenedBesideTheRolloutAndAlerts()
    {
        var model = $"hist-{Guid.NewGuid():N}"[..14];
        var config = ModelConfig.Default with
        {
            Monitoring = new MonitoringConfig(ReferenceRows: 200, MaxDriftScore: 0.25),
            Quality = new QualityConfig(QualityTask.Classification, Classes: ["cat", "dog", "fish"]),
        };
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Identity(TensorDataType.FP32), config: config);
        await Poll.Until(async () => (await Get(serving.Http, $"/v2/models/{model}/ready")).Status == HttpStatusCode.OK);
        var random = new Random(7);
        var sample = Enumerable.Range(0, 900).Select(_ => (float)random.NextDouble()).ToArray();
        var (status, reference) = await Post(serving.Http, $"/api/models/{model}/versions/1/reference", new { inputs = new[] { Tensor("input", "FP32", [300, 3], sample) } });
        status.ShouldBe(HttpStatusCode.OK, reference.ToString());
        for (var i = 0; i < 25; i++)
        {
            var shifted = Enumerable.Range(0, 24).Select(_ => 5 + (float)random.NextDouble()).ToArray();
            (await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("input", "FP32", [8, 3], shifted) } })).Status.ShouldBe(HttpStatusCode.OK);
        }
        // Argmax: cat, fish, dog; labelled cat, fish, cat, so two of the three are right.
        string[] ids = [await Infer(model, [0.9f, 0.05f, 0.05f]), await Infer(model, [0.1f, 0.1f, 0.8f]), await Infer(model, [0.2f, 0.7f, 0.1f])];
        var (labelled, result) = await PostRaw(serving.Http, $"/api/models/{model}/ground-truth",
            $$"""{"labels": [{"id": "{{ids[0]}}", "label": "cat"}, {"id": "{{ids[1]}}", "label": "fish"}, {"id": "{{ids[2]}}", "label": "cat"}]}""");
        labelled.ShouldBe(HttpStatusCode.OK, result.ToString());
        // A canary at its first of two hour-long steps, which nothing ends while the page is open.
        await serving.Client.UploadVersionAsync(model, "2", TestModels.Identity(TensorDataType.FP32), config: config);
        await Poll.Until(async () => (await Get(serving.Http, $"/v2/models/{model}/versions/2/ready")).Status == HttpStatusCode.OK);
        var (started, rollout) = await PostRaw(serving.Http, $"/api/models/{model}/rollouts",
            """{"target": "2", "baseline": "1", "steps": [{"weight": 10, "duration_seconds": 3600}, {"weight": 50, "duration_seconds": 3600}]}""");
        started.ShouldBe(HttpStatusCode.Created, rollout.ToString());
        await Poll.Until(async () => (await Get(serving.Http, "/api/alerts")).Body.GetProperty("alerts").EnumerateArray()
            .Any(a => a.GetProperty("model").GetString() == model && a.GetProperty("kind").GetString() == "drift_score" && a.GetProperty("active").GetBoolean()));

        // Statistics arrive with the workers' once-a-second pushes: wait until two reads a second apart agree.
        var previous = "";
        var history = await Poll.For(async () =>
        {
            var (_, body) = await Get(serving.Http, $"/api/models/{model}/history");
            var (same, text) = (previous == body.ToString(), body.ToString());
            previous = text;
            await Task.Delay(TimeSpan.FromSeconds(1));
            return (Same: same, Body: body);
        }, read => read.Same && Drift(read.Body).DefaultIfEmpty(0).Max() > 0.25 && Requests(read.Body) >= 28, TimeSpan.FromSeconds(30));
        var quality = history.Body.GetProperty("versions")[0].GetProperty("quality").EnumerateArray().ToList();
        quality.Select(q => q.GetProperty("labelled").GetInt64()).ShouldBe([3], "one post of labels arrives in one minute");
        quality[0].GetProperty("accuracy").GetDouble().ShouldBe(2.0 / 3);
        quality[0].GetProperty("mae").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        var dom = await HeadlessChromium.DumpDom($"http://127.0.0.1:{serving.Silo.HttpPort}/", TimeSpan.FromSeconds(5));

        var section = Section().Matches(dom).Select(m => m.Value).FirstOrDefault(s => s.Contains($"data-model=\"{model}\"", StringComparison.Ordinal));
        section.ShouldNotBeNull("the page drew a history section for the model: " + dom[..Math.Min(dom.Length, 2000)]);
        Numbers(Attribute(section, "drift")).ShouldBe(Drift(history.Body), "the drift chart holds every minute's score, recorded before the page opened");
        Attribute(section, "quality-figure").ShouldBe("accuracy");
        Numbers(Attribute(section, "quality")).ShouldBe([2.0 / 3], "the accuracy chart holds the minute the labels arrived in");
        section.ShouldContain($"{model} · drift score (PSI)");
        section.ShouldContain($"{model} · accuracy of labels per minute");
        section.ShouldContain("rollout running: step 1 of 2, v2 10 % · v1 90 %", Case.Sensitive, "the rollout's progress is beside the charts");
        Regex.IsMatch(section, "<li class=\"alert\">v1 drift_score [0-9.]+ above 0.250 since").ShouldBeTrue("the active drift alert is beside the charts: " + section[..Math.Min(section.Length, 1500)]);
    }

    private async Task<string> Infer(string model, float[] row)
    {
        var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("input", "FP32", [1, 3], row) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static long Requests(JsonElement history) =>
        history.GetProperty("versions").EnumerateArray().Sum(v => v.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("requests").GetInt64()));

    private static double[] Drift(JsonElement history) => [.. history.GetProperty("versions").EnumerateArray()
        .SelectMany(v => v.GetProperty("minutes").EnumerateArray())
        .Where(m => m.GetProperty("drift_score").ValueKind == JsonValueKind.Number)
        .Select(m => m.GetProperty("drift_score").GetDouble())];

    /// <summary>A <c>data-</c> attribute of the section, as written.</summary>
    private static string Attribute(string section, string name)
    {
        var value = Regex.Match(section, $"data-{name}=\"([^\"]*)\"");
        value.Success.ShouldBeTrue($"the section has data-{name}: {section[..Math.Min(section.Length, 600)]}");
        return value.Groups[1].Value;
    }

    private static double[] Numbers(string spaced) =>
        [.. spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task AModelsDetailPageShowsThatModelAloneAndTheOverviewLinksToIt()
    {
        (await Post(serving.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, 4 }) } })).Status.ShouldBe(HttpStatusCode.OK);
        var overview = await HeadlessChromium.DumpDom($"http://127.0.0.1:{serving.Silo.HttpPort}/", TimeSpan.FromSeconds(5));
        overview.ShouldContain("<a href=\"/models/demo-mlp\">demo-mlp</a>", Case.Sensitive, "each model's name opens its detail page");
        Row().Matches(overview).Select(m => m.Groups[1].Value).Distinct().Count().ShouldBeGreaterThan(1, "the overview lists every model");

        var detail = await HeadlessChromium.DumpDom($"http://127.0.0.1:{serving.Silo.HttpPort}/models/demo-mlp", TimeSpan.FromSeconds(5));

        Row().Matches(detail).Select(m => m.Groups[1].Value).Distinct().ShouldBe(["demo-mlp"], "the detail page shows its model alone");
        Section().Matches(detail).Select(m => m.Value).ShouldAllBe(s => s.Contains("data-model=\"demo-mlp\"", StringComparison.Ordinal));
        Section().Matches(detail).Count().ShouldBe(1, "its history is drawn: " + detail[..Math.Min(detail.Length, 2000)]);
        detail.ShouldContain("<title>Cluster · demo-mlp</title>");
        detail.ShouldContain("<a href=\"/\">Models</a>", Case.Sensitive, "the heading leads back to all models");
    }

    [GeneratedRegex("<tr data-model=\"([^\"]+)\">")]
    private static partial Regex Row();

    [GeneratedRegex("<section data-model=.*?</section>", RegexOptions.Singleline)]
    private static partial Regex Section();
}
