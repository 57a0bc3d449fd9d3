using System.Net;
using System.Text.RegularExpressions;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed partial class ObservabilityTests(ServingFixture serving)
{
    [Fact]
    public async Task MetricsParseAsPrometheusTextAndCarryPerModelSeries()
    {
        (await Post(serving.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, 4 }) } })).Status.ShouldBe(HttpStatusCode.OK);

        // The exporter answers scrapes from a copy up to a few hundred milliseconds old, and other tests scrape too.
        var (status, mediaType, text) = await Scrape(l => l.StartsWith("cluster_inference_requests_total{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\""));

        status.ShouldBe(HttpStatusCode.OK);
        mediaType.ShouldBe("text/plain");
        var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        samples.ShouldNotBeEmpty();
        samples.ShouldAllBe(l => SampleLine().IsMatch(l), "every sample line is `name{labels} value`");
        samples.ShouldContain(l => l.StartsWith("cluster_inference_requests_total{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\"") && l.Contains("outcome=\"success\""));
        samples.ShouldContain(l => l.StartsWith("cluster_inference_compute_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\""));
        text.ShouldContain("# TYPE cluster_inference_requests_total counter");
        // Triton's names for the same series, filled from the once-a-second summaries.
        (_, _, text) = await Scrape(l => l.StartsWith("nv_inference_request_success{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\""));
        foreach (var series in new[] { "nv_inference_request_success", "nv_inference_count", "nv_inference_exec_count", "nv_inference_queue_duration_us", "nv_inference_compute_infer_duration_us" })
        {
            text.Split('\n').ShouldContain(l => l.StartsWith(series + "{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\""), series);
        }
    }

    /// <summary>Scrapes /metrics until a line matches <paramref name="line"/>.</summary>
    private Task<(HttpStatusCode Status, string? MediaType, string Text)> Scrape(Func<string, bool> line) =>
        Poll.For(async () =>
        {
            using var response = await serving.Http.GetAsync("/metrics");
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }, scraped => scraped.Item3.Split('\n').Any(line), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task TheOrleansDashboardIsServedUnderDashboard()
    {
        using var page = await serving.Http.GetAsync("/dashboard/");
        using var counters = await serving.Http.GetAsync("/dashboard/ClusterStats");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);
        counters.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static readonly string[] InferenceGrainMethods = ["Cluster.Routing.RouterGrain.Infer", "Cluster.Batching.BatchWorkerGrain.Infer", "Cluster.Replicas.ReplicaGrain.Run"];

    [Fact]
    public async Task TheDashboardTimesTheInferenceGrainsCallsWhileItIsOpen()
    {
        // The silo wraps the dashboard's grain-call timer so that calls skip it while nobody watches; an open dashboard must
        // still see every grain an inference request passes through. It is polled: the dashboard gathers once a second.
        var methods = await Poll.For(async () =>
        {
            (await serving.Http.GetAsync("/dashboard/DashboardCounters")).EnsureSuccessStatusCode();
            for (var i = 0; i < 20; i++)
            {
                (await Post(serving.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, 4 }) } })).Status.ShouldBe(HttpStatusCode.OK);
            }
            using var top = System.Text.Json.JsonDocument.Parse(await serving.Http.GetStringAsync("/dashboard/TopGrainMethods"));
            return top.RootElement.GetProperty("calls").EnumerateArray().Select(c => $"{c.GetProperty("grain").GetString()}.{c.GetProperty("method").GetString()}").ToArray();
        }, names => InferenceGrainMethods.All(names.Contains), TimeSpan.FromSeconds(30));

        foreach (var method in InferenceGrainMethods) methods.ShouldContain(method);
    }

    [Fact]
    public async Task TheDashboardRendersTheLiveClusterInARealBrowser()
    {
        var url = $"http://127.0.0.1:{serving.Silo.HttpPort}/dashboard/";

        var dom = await Support.HeadlessChromium.DumpDom(url, TimeSpan.FromSeconds(8));
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await Support.HeadlessChromium.Screenshot(url, screenshot, TimeSpan.FromSeconds(8));

        dom.ShouldContain("Total Activations", Case.Insensitive, "the overview is drawn by the dashboard's scripts from live data");
        dom.ShouldContain("Active Silos", Case.Insensitive);
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(10_000, "a rendered page, not a blank one");
    }

    [Fact]
    public async Task TheStatusPageShowsAServedModelsFiguresInARealBrowser()
    {
        var before = await StatusRequests("demo-mlp");
        for (var i = 0; i < 30; i++)
        {
            (await Post(serving.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, i }) } })).Status.ShouldBe(HttpStatusCode.OK);
        }
        // Batch workers push their statistics once a second; the page draws what /api/status has.
        await Poll.For(() => StatusRequests("demo-mlp"), requests => requests >= before + 30, TimeSpan.FromSeconds(30));
        var url = $"http://127.0.0.1:{serving.Silo.HttpPort}/";

        var dom = await Support.HeadlessChromium.DumpDom(url, TimeSpan.FromSeconds(5));
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "status-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await Support.HeadlessChromium.Screenshot(url, screenshot, TimeSpan.FromSeconds(5));

        var row = StatusRow().Matches(dom).Select(m => m.Value).FirstOrDefault(r => r.Contains("data-model=\"demo-mlp\"", StringComparison.Ordinal));
        row.ShouldNotBeNull("the page's script filled the table from /api/status: " + dom[..Math.Min(dom.Length, 2000)]);
        row.ShouldContain("READY");
        var p99 = Regex.Match(row, "class=\"num p99\">([0-9.]+)<").Groups[1].Value;
        double.Parse(p99, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, "p99 of the last minute's requests");
        int.Parse(Regex.Match(row, "class=\"num requests\">([0-9]+)<").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(30);
        Regex.Match(row, "class=\"num replicas\">([0-9]+)<").Groups[1].Value.ShouldBe("1", "demo-mlp serves with one replica");
        Regex.IsMatch(row, "class=\"num utilization\">[0-9]+\\.[0-9]<").ShouldBeTrue("the utilization column is filled from /api/cost: " + row);
        Regex.IsMatch(row, "class=\"num cost\">[0-9]+\\.[0-9]{4}<").ShouldBeTrue("the cost column is filled from /api/cost: " + row);
        dom.ShouldContain("id=\"utilization\"", Case.Sensitive, "the utilization chart is on the page");
        dom.ShouldContain("<polyline", Case.Sensitive, "the throughput chart drew a line");
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(10_000, "a rendered page, not a blank one");
    }

    private async Task<long> StatusRequests(string model)
    {
        var (_, status) = await Get(serving.Http, "/api/status");
        return status.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == model)
            .GetProperty("versions").EnumerateArray().Sum(v => v.GetProperty("total_requests").GetInt64());
    }

    [GeneratedRegex("<tr data-model=[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex StatusRow();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfNa]+( [0-9]+)?$""")]
    private static partial Regex SampleLine();
}
