using System.Net;
using System.Text.Json;
using Cluster.Tests.ClusterMode;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.Cost;

/// <summary>
/// Cost over HTTP in cluster mode on a private PostgreSQL: the <c>/api/cost</c> body, advice applied with one call, the cost
/// metrics, and usage history that outlives a restart of the whole cluster (it is grain state in PostgreSQL).
/// </summary>
public sealed class CostClusterTests(PostgresFixture postgres)
{
    private static readonly string[] CostSettings = ["--Cost:PricePerReplicaHour:cpu=0.36", "--Cost:ReportEverySeconds=1", "--Cost:MinObservedSeconds=1"];

    private static JsonElement Version(JsonElement report, string model) =>
        report.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("model").GetString() == model);

    private static async Task<JsonElement> Cost(SiloProcess silo)
    {
        var (status, body) = await Get(silo.Http, "/api/cost?window=1h");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body;
    }

    [Fact]
    public async Task UsageIsReportedPricedAndAdvisedOverHttpAndSurvivesARestartOfTheCluster()
    {
        var settings = (string[])[.. PostgresCluster.Settings(await postgres.NewDatabaseAsync()), .. CostSettings];
        using var repository = new TemporaryRepository();
        repository.Add("served", "1", TestModels.Scale(2f));
        repository.Add("idle", "1", TestModels.Scale(3f));
        var first = await SiloProcess.StartAsync(repository.Root, settings);
        JsonElement before;
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var (status, body) = await Post(first.Http, "/v2/models/served/infer", new { inputs = new[] { Tensor("x", "FP32", [2, 2], new[] { 1f, 2f, 3f, 4f }) } });
                status.ShouldBe(HttpStatusCode.OK, body.ToString());
            }
            before = await Poll.For(() => Cost(first), report => Version(report, "served").GetProperty("requests").GetInt64() == 5
                && report.GetProperty("recommendations").EnumerateArray().Any(r => r.GetProperty("model").GetString() == "idle"), silo: first);

            before.GetProperty("window").GetString().ShouldBe("1h");
            var served = Version(before, "served");
            (served.GetProperty("version").GetString(), served.GetProperty("device").GetString(), served.GetProperty("replicas").GetInt32()).ShouldBe(("1", "cpu", 1));
            served.GetProperty("rows").GetInt64().ShouldBe(10);
            var replicaSeconds = served.GetProperty("replica_seconds").GetDouble();
            var busySeconds = served.GetProperty("busy_seconds").GetDouble();
            replicaSeconds.ShouldBeGreaterThan(0);
            busySeconds.ShouldBeInRange(1e-7, replicaSeconds);
            served.GetProperty("utilization").GetDouble().ShouldBe(Math.Round(busySeconds / replicaSeconds, 6), 2e-6);
            served.GetProperty("compute_seconds_per_1k").GetDouble().ShouldBe(busySeconds / 10 * 1000, 1e-3, "busy seconds come rounded to the microsecond");
            served.GetProperty("estimated_cost").GetDouble().ShouldBe(replicaSeconds / 3600 * 0.36, 1e-5);
            served.GetProperty("cost_per_1k_predictions").GetDouble().ShouldBe(replicaSeconds / 3600 * 0.36 / 10 * 1000, 1e-3);
            served.GetProperty("silos").GetArrayLength().ShouldBe(1);
            var advice = before.GetProperty("recommendations").EnumerateArray().Single(r => r.GetProperty("model").GetString() == "idle");
            (advice.GetProperty("version").GetString(), advice.GetProperty("kind").GetString()).ShouldBe(("1", "unused"));
            advice.GetProperty("estimated_saving").GetDouble().ShouldBe(0.36 * 24, 1e-6);
            advice.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("no request");
            advice.GetProperty("figures").GetProperty("requests").GetDouble().ShouldBe(0);
            (advice.GetProperty("action").GetProperty("setting").GetString(), advice.GetProperty("action").GetProperty("value").GetInt32()).ShouldBe(("replicas", 0));

            var (applied, appliedBody) = await PostRaw(first.Http, "/api/cost/recommendations/apply", """{"model": "idle", "version": "1", "kind": "unused", "window": "1h"}""");
            applied.ShouldBe(HttpStatusCode.OK, appliedBody.ToString());
            appliedBody.TryGetProperty("recommendation", out var recommendation).ShouldBeTrue(appliedBody.ToString());
            recommendation.GetProperty("kind").GetString().ShouldBe("unused");
            Version(await Cost(first), "idle").GetProperty("replicas").GetInt32().ShouldBe(0);
            var (again, _) = await PostRaw(first.Http, "/api/cost/recommendations/apply", """{"model": "idle", "version": "1", "kind": "unused", "window": "1h"}""");
            again.ShouldBe(HttpStatusCode.Conflict, "a version at zero replicas is no longer unused");
            (await Get(first.Http, "/api/cost?window=2d")).Status.ShouldBe(HttpStatusCode.BadRequest);

            var metrics = await first.Http.GetStringAsync("/metrics");
            metrics.ShouldContain("cluster_cost_replica_seconds");
            metrics.ShouldContain("cluster_cost_busy_seconds");
            metrics.ShouldContain("cluster_cost_estimated");
            metrics.ShouldContain("cluster_cost_utilization");
        }
        finally
        {
            await first.StopAsync();
            await first.DisposeAsync();
        }

        var second = await SiloProcess.StartAsync(repository.Root, settings);
        try
        {
            var after = Version(await Cost(second), "served");
            after.GetProperty("requests").GetInt64().ShouldBe(5, "the first silo's minutes were kept in PostgreSQL");
            after.GetProperty("rows").GetInt64().ShouldBe(10);
            after.GetProperty("replica_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(Version(before, "served").GetProperty("replica_seconds").GetDouble());
            after.GetProperty("busy_seconds").GetDouble().ShouldBe(Version(before, "served").GetProperty("busy_seconds").GetDouble(), 1e-6);
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }
    }
}
