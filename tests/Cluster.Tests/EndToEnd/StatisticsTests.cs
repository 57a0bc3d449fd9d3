using System.Net;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class StatisticsTests(ServingFixture serving)
{
    [Fact]
    public async Task TheStatsEndpointReportsCountsAndLatencyPercentilesInTritonShape()
    {
        var model = $"stats-{Guid.NewGuid():N}"[..14];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => serving.Client.InferAsync(model, [TensorData.From<float>("x", [i, 1f], 1, 2)])));

        // Batch workers push their statistics once a second.
        var stats = await Poll.For(async () =>
        {
            var (status, body) = await Get(serving.Http, $"/v2/models/{model}/versions/1/stats");
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            return body.GetProperty("model_stats")[0];
        }, s => s.GetProperty("inference_stats").GetProperty("success").GetProperty("count").GetInt64() >= 50, TimeSpan.FromSeconds(30));

        var inference = stats.GetProperty("inference_stats");
        inference.GetProperty("success").GetProperty("count").GetInt64().ShouldBe(50);
        inference.GetProperty("success").GetProperty("ns").GetInt64().ShouldBeGreaterThan(0);
        inference.GetProperty("queue").GetProperty("count").GetInt64().ShouldBe(50);
        inference.GetProperty("compute_infer").GetProperty("count").GetInt64().ShouldBeGreaterThan(0);
        stats.GetProperty("inference_count").GetInt64().ShouldBe(50);
        var minute = stats.GetProperty("latency").GetProperty("1m");
        minute.GetProperty("requests").GetInt64().ShouldBe(50);
        minute.GetProperty("p50_ms").GetDouble().ShouldBeGreaterThan(0);
        minute.GetProperty("p99_ms").GetDouble().ShouldBeGreaterThanOrEqualTo(minute.GetProperty("p50_ms").GetDouble());
        stats.GetProperty("latency").GetProperty("1h").GetProperty("requests").GetInt64().ShouldBe(50);
        var fromClient = await serving.Client.GetStatisticsAsync(model);
        fromClient.Total.Success.ShouldBe(50);
        fromClient.LastMinute.Request.Percentile(0.99).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task StatisticsOutliveTheReplicasThatProducedThem()
    {
        var model = $"st-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(2f));
        for (var i = 0; i < 20; i++) (await serving.Client.InferAsync(model, [TensorData.From<float>("x", [i, 1f], 1, 2)])).ModelVersion.ShouldBe("1");
        await Poll.Until(async () => (await serving.Client.GetStatisticsAsync(model)).Total.Success >= 20);

        // Unloading deactivates the version's replicas; the figures live in the stats grain, not in them.
        await serving.Client.UnloadVersionAsync(model, "1");
        await serving.Client.LoadVersionAsync(model, "1");
        for (var i = 0; i < 5; i++) await serving.Client.InferAsync(model, [TensorData.From<float>("x", [i, 1f], 1, 2)]);
        await Poll.Until(async () => (await serving.Client.GetStatisticsAsync(model)).Total.Success >= 25);

        var statistics = await serving.Client.GetStatisticsAsync(model);
        statistics.Total.Success.ShouldBe(25, "20 before the replicas went and 5 after");
        statistics.Total.Request.Count.ShouldBe(25);
        statistics.Total.Outputs!["y"].Rows.ShouldBe(25);
    }
}
