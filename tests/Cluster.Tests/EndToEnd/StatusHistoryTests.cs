using System.Net;
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
        section.ShouldContain("demo-mlp · requests per minute");
    }

    [GeneratedRegex("<section data-model=.*?</section>", RegexOptions.Singleline)]
    private static partial Regex Section();
}
