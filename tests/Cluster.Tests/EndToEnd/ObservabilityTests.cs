using System.Net;
using System.Text.RegularExpressions;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed partial class ObservabilityTests(ServingFixture serving)
{
    [Fact]
    public async Task MetricsParseAsPrometheusTextAndCarryPerModelSeries()
    {
        (await Post(serving.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, 4 }) } })).Status.ShouldBe(HttpStatusCode.OK);

        using var response = await serving.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        samples.ShouldNotBeEmpty();
        samples.ShouldAllBe(l => SampleLine().IsMatch(l), "every sample line is `name{labels} value`");
        samples.ShouldContain(l => l.StartsWith("cluster_inference_requests_total{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\"") && l.Contains("outcome=\"success\""));
        samples.ShouldContain(l => l.StartsWith("cluster_inference_compute_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("model=\"demo-mlp\""));
        text.ShouldContain("# TYPE cluster_inference_requests_total counter");
    }

    [Fact]
    public async Task TheOrleansDashboardIsServedUnderDashboard()
    {
        using var page = await serving.Http.GetAsync("/dashboard/");
        using var counters = await serving.Http.GetAsync("/dashboard/ClusterStats");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);
        counters.StatusCode.ShouldBe(HttpStatusCode.OK);
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

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfNa]+( [0-9]+)?$""")]
    private static partial Regex SampleLine();
}
