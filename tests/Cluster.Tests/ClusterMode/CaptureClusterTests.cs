using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Tests.Support;
using Npgsql;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

/// <summary>Prediction capture in cluster mode: records go to PostgreSQL by binary COPY and are exported from the table, with the capture scope.</summary>
public sealed class CaptureClusterTests(PostgresFixture postgres)
{
    private static HttpClient As(SiloProcess silo, string key)
    {
        var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<(HttpStatusCode Status, string[] Lines)> Export(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CapturedRequestsAreWrittenToTheTableAndExportedOnlyWithTheCaptureScope()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        using var repository = new TemporaryRepository();
        repository.Add("watched", "1", TestModels.Scale(2f), """{"max_batch_size": 8, "capture": {"fraction": 1, "redact": [], "retention_days": 3}}""");
        await using var silo = await SiloProcess.StartAsync(repository.Root,
            "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true",
            $"--Cluster:ClusterId=c{Guid.NewGuid():N}", "--Inference:Device=cpu", "--Models:WriteDemoModel=false", TestKeys.BootstrapSetting);

        var sent = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await Post(silo.Http, "/v2/models/watched/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { i, -i / 2f }) } });
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            sent.Add(body.GetProperty("id").GetString()!);
        }

        await using (var database = NpgsqlDataSource.Create(connectionString))
        {
            await Poll.Until(async () => (long)(await database.CreateCommand("SELECT count(*) FROM cluster_captures").ExecuteScalarAsync())! == 20, silo);
            await using var expiry = database.CreateCommand("SELECT DISTINCT expires_on - (completed_at AT TIME ZONE 'UTC')::date FROM cluster_captures");
            (await expiry.ExecuteScalarAsync()).ShouldBe(4, "kept through the third day after");
        }

        var (exported, lines) = await Export(silo.Http, "/api/models/watched/captures?limit=100");
        exported.ShouldBe(HttpStatusCode.OK);
        var records = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        records.Select(r => r.GetProperty("id").GetString()).ShouldBe(sent, "oldest first, one per request");
        records.ShouldAllBe(r => r.GetProperty("trace_id").GetString()!.Length == 32);
        Floats(records[7].GetProperty("inputs")[0]).ShouldBe([7f, -3.5f]);
        Floats(records[7].GetProperty("outputs")[0]).ShouldBe([14f, -7f]);

        var readKey = await CreateKey(silo, """{"name": "reader", "scopes": ["read", "infer"]}""");
        var captureKey = await CreateKey(silo, """{"name": "labeller", "scopes": ["capture"], "models": ["watched"]}""");
        using (var reader = As(silo, readKey))
        {
            (await Export(reader, "/api/models/watched/captures")).Status.ShouldBe(HttpStatusCode.Forbidden, "payloads need the capture scope");
        }
        using (var labeller = As(silo, captureKey))
        {
            var (status, some) = await Export(labeller, "/api/models/watched/captures?limit=5");
            status.ShouldBe(HttpStatusCode.OK);
            some.Length.ShouldBe(5);
            (await Get(labeller, "/v2/models/watched")).Status.ShouldBe(HttpStatusCode.Forbidden, "the capture scope reads captures only");
        }

        var (_, audit) = await Get(silo.Http, "/api/audit?model=watched");
        var exports = audit.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("action").GetString() == "capture.export").ToArray();
        exports.Select(r => r.GetProperty("actor").GetString()).ShouldBe([$"key:{captureKey.Split('_')[1]}", "key:bootstrap"], "newest first; the refused export never reached the store");
    }

    private static async Task<string> CreateKey(SiloProcess silo, string body)
    {
        var (status, created) = await PostRaw(silo.Http, "/api/keys", body);
        status.ShouldBe(HttpStatusCode.Created, created.ToString());
        return created.GetProperty("key").GetString()!;
    }
}
