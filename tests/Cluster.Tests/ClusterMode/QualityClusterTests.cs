using System.Net;
using System.Net.Http.Headers;
using Cluster.Tests.Support;
using Npgsql;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

/// <summary>
/// Model quality in cluster mode: predictions served by one silo wait in PostgreSQL, so a label posted to another silo finds
/// them; both silos' joins add into one version's figures. Writing ground truth takes the infer scope.
/// </summary>
public sealed class QualityClusterTests(PostgresFixture postgres)
{
    private static HttpClient As(SiloProcess silo, string key)
    {
        var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<string> CreateKey(SiloProcess silo, string body)
    {
        var (status, created) = await PostRaw(silo.Http, "/api/keys", body);
        status.ShouldBe(HttpStatusCode.Created, created.ToString());
        return created.GetProperty("key").GetString()!;
    }

    private static async Task Infer(SiloProcess silo, string id, float[] row, string segment)
    {
        var (status, body) = await Post(silo.Http, "/v2/models/judged/infer",
            new { id, parameters = new { segment }, inputs = new[] { Tensor("input", "FP32", [1, 3], row) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    [Fact]
    public async Task LabelsPostedToEitherSiloJoinPredictionsServedByTheOtherThroughPostgres()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        using var repository = new TemporaryRepository();
        repository.Add("judged", "1", TestModels.Identity(Tensors.TensorDataType.FP32), """{"max_batch_size": 8, "quality": {"task": "classification"}}""");
        string[] common = [
            "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true", TestKeys.BootstrapSetting,
            $"--Cluster:ClusterId=c{Guid.NewGuid():N}"[..40], "--Inference:Device=cpu", "--Models:WriteDemoModel=false"];
        var silos = await Task.WhenAll(SiloProcess.StartAsync(repository.Root, [.. common]), SiloProcess.StartAsync(repository.Root, [.. common]));
        try
        {
            var (first, second) = (silos[0], silos[1]);
            await Infer(first, "a", [0.8f, 0.1f, 0.1f], "x");    // 0
            await Infer(first, "b", [0.1f, 0.8f, 0.1f], "y");    // 1
            await Infer(second, "c", [0.1f, 0.1f, 0.8f], "x");   // 2
            await Infer(second, "d", [0.6f, 0.3f, 0.1f], "y");   // 0
            await using (var database = NpgsqlDataSource.Create(connectionString))
            {
                await Poll.Until(async () => (long)(await database.CreateCommand("SELECT count(*) FROM cluster_predictions").ExecuteScalarAsync())! == 4, first);
            }
            var inferKey = await CreateKey(first, """{"name": "labeller", "scopes": ["infer"], "models": ["judged"]}""");
            var readKey = await CreateKey(first, """{"name": "watcher", "scopes": ["read"]}""");
            using var labeller = As(second, inferKey);
            using var watcher = As(second, readKey);
            // Keys reach the other silo's key cache within seconds; an empty batch joins nothing.
            await Poll.Until(async () => (await PostRaw(labeller, "/api/models/judged/ground-truth", """{"labels": []}""")).Status == HttpStatusCode.OK, second);
            await Poll.Until(async () => (await Get(watcher, "/api/models/judged/quality")).Status == HttpStatusCode.OK, second);

            var (refused, _) = await PostRaw(watcher, "/api/models/judged/ground-truth", """{"labels": [{"id": "a", "label": 0}]}""");
            var (toSecond, fromSecond) = await PostRaw(labeller, "/api/models/judged/ground-truth",
                """{"labels": [{"id": "a", "label": 0}, {"id": "b", "label": 0}, {"id": "zz", "label": 0}]}""");
            var (toFirst, fromFirst) = await PostRaw(first.Http, "/api/models/judged/ground-truth",
                """{"labels": [{"id": "c", "label": 2}, {"id": "d", "label": 0}, {"id": "a", "label": 1}]}""");

            refused.ShouldBe(HttpStatusCode.Forbidden, "a read key cannot write ground truth");
            toSecond.ShouldBe(HttpStatusCode.OK, fromSecond.ToString());
            (fromSecond.GetProperty("matched").GetInt32(), fromSecond.GetProperty("unknown").GetInt32()).ShouldBe((2, 1));
            toFirst.ShouldBe(HttpStatusCode.OK, fromFirst.ToString());
            (fromFirst.GetProperty("matched").GetInt32(), fromFirst.GetProperty("duplicates").GetInt32()).ShouldBe((2, 1), "'a' was labelled through the other silo");
            foreach (var silo in new[] { watcher, first.Http })
            {
                var (status, quality) = await Get(silo, "/api/models/judged/quality");
                status.ShouldBe(HttpStatusCode.OK, quality.ToString());
                var version = quality.GetProperty("versions").EnumerateArray().Single();
                (version.GetProperty("labelled").GetInt64(), version.GetProperty("accuracy").GetDouble()).ShouldBe((4L, 0.75));
                version.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("segment").GetString(), s.GetProperty("accuracy").GetDouble()))
                    .ShouldBe([("x", 1.0), ("y", 0.5)]);
            }
        }
        finally
        {
            await Task.WhenAll(silos.Select(s => s.StopAsync()));
            foreach (var silo in silos) await silo.DisposeAsync();
        }
    }
}
