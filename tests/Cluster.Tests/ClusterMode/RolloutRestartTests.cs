using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

public sealed class RolloutRestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ARolloutWhoseSiloIsKilledMidwayResumesAfterTheRestartAndPromotes()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        using var repository = new TemporaryRepository();
        var settings = PostgresCluster.Settings(connectionString);

        var silo = await SiloProcess.StartAsync(repository.Root, settings);
        // The restarted process takes the same silo address, as a restarted pod or service would, so the new generation supersedes the dead one at once.
        string[] sameAddress = [$"--Silo:SiloPort={silo.SiloPort}", $"--Silo:GatewayPort={silo.GatewayPort}"];
        try
        {
            (await Upload(silo, "1", TestModels.Scale(2f))).ShouldBe(HttpStatusCode.Created);
            (await Put(silo, "/api/models/canary/traffic", """{"weights": {"1": 100}}""")).ShouldBe(HttpStatusCode.OK);
            (await Upload(silo, "2", TestModels.Scale(2f))).ShouldBe(HttpStatusCode.Created);
            var (status, started) = await PostRaw(silo.Http, "/api/models/canary/rollouts",
                """{"target": "2", "steps": [{"weight": 10, "duration_seconds": 4}, {"weight": 50, "duration_seconds": 2}]}""");
            status.ShouldBe(HttpStatusCode.Created, started.ToString());
            silo.Kill();
        }
        finally
        {
            await silo.DisposeAsync();
        }

        // Nothing but a traffic read touches the model after the restart: the rollout must pick up by itself.
        silo = await SiloProcess.StartAsync(repository.Root, [.. settings, .. sameAddress]);
        try
        {
            var traffic = await Poll.For(async () => (await Get(silo.Http, "/api/models/canary/traffic")).Body,
                t => t.GetProperty("rollout").ValueKind == JsonValueKind.Null, silo: silo);

            traffic.GetProperty("weights").EnumerateObject().Select(w => (w.Name, w.Value.GetDouble())).ShouldBe([("2", 100.0)]);
            var (_, rollout) = await Get(silo.Http, "/api/models/canary/rollouts/current");
            rollout.GetProperty("state").GetString().ShouldBe("promoted", rollout.ToString());
            rollout.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("event").GetString()).ShouldBe(["started", "advanced", "promoted"]);
            var (_, served) = await Post(silo.Http, "/v2/models/canary/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });
            served.GetProperty("model_version").GetString().ShouldBe("2");
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static async Task<HttpStatusCode> Upload(SiloProcess silo, string version, byte[] onnx)
    {
        using var content = new ByteArrayContent(onnx);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await silo.Http.PostAsync($"/api/models/canary/versions/{version}", content);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> Put(SiloProcess silo, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await silo.Http.PutAsync(path, content);
        return response.StatusCode;
    }
}
