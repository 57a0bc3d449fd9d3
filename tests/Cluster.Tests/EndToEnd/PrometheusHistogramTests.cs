using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// A real Prometheus scrapes /metrics and answers histogram_quantile: with buckets that fit
/// seconds, its p50 and p99 agree with our own statistics endpoint within a factor of 2 (the
/// buckets double), where millisecond default buckets answered seconds for a millisecond model.
/// </summary>
public sealed class PrometheusHistogramTests(ServingFixture serving)
{
    [Fact]
    public async Task PromQlQuantilesOfRequestDurationAgreeWithTheStatsEndpoint()
    {
        // A model of its own, so other tests' requests do not enter either figure.
        var model = $"prom-{Guid.NewGuid():N}"[..13];
        using (var content = new ByteArrayContent(await File.ReadAllBytesAsync(serving.PaddlePath)))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await serving.Http.PostAsync($"/api/models/{model}/versions/1", content);
            uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        }
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{serving.Silo.HttpPort}");
        var count = $"sum(cluster_inference_request_duration_seconds_count{{model=\"{model}\"}})";
        // One request first, so the series exists in Prometheus before the measured ones: rates start from a sample.
        await Infer(model, 0);
        await Poll.For(() => prometheus.Query(count), value => value >= 1, TimeSpan.FromSeconds(30));

        // Enough that one slow request does not make the p99 by itself: the first one pays the router's and the worker's
        // activation in the router's duration but not in the worker's queue-to-answer time, and Prometheus' increase() can
        // extrapolate part of it back; with 80 requests it alone set both p99s (59 ms against 29 ms).
        const int requests = 250;
        for (var i = 1; i <= requests; i++) await Infer(model, i);

        await Poll.For(() => prometheus.Query(count), value => value >= requests + 1, TimeSpan.FromSeconds(30));
        var stats = await Poll.For(() => LastMinute(model), window => window.GetProperty("requests").GetInt64() >= requests + 1, TimeSpan.FromSeconds(30));
        foreach (var (quantile, field) in new[] { (0.5, "p50_ms"), (0.99, "p99_ms") })
        {
            var promql = $"histogram_quantile({quantile}, sum by (le) (increase(cluster_inference_request_duration_seconds_bucket{{model=\"{model}\"}}[5m])))";
            var fromPrometheus = (await prometheus.Query(promql)).ShouldNotBeNull(promql) * 1000;
            var ours = stats.GetProperty(field).GetDouble();
            ours.ShouldBeGreaterThan(0);
            (fromPrometheus / ours).ShouldBeInRange(0.5, 2.0, $"{field}: Prometheus says {fromPrometheus:F3} ms, the stats endpoint {ours:F3} ms");
        }
    }

    private async Task Infer(string model, int seed)
    {
        var random = new Random(seed);
        var pixels = Enumerable.Range(0, 3 * 48 * 192).Select(_ => (float)random.NextDouble()).ToArray();
        var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 3, 48, 192], pixels) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    private async Task<JsonElement> LastMinute(string model)
    {
        var (_, stats) = await Get(serving.Http, $"/v2/models/{model}/stats");
        return stats.GetProperty("model_stats")[0].GetProperty("latency").GetProperty("1m");
    }
}
