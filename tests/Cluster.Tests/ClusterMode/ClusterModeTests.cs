using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cluster.Client;
using Cluster.Modeling;
using Cluster.Tensors;
using Cluster.Tests.EndToEnd;
using Cluster.Tests.Support;
using Npgsql;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

public sealed class ClusterModeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task InitDbCreatesTheSchemaAndCanRunAgain()
    {
        var connectionString = await postgres.NewDatabaseAsync();

        (await InitDb(connectionString)).ShouldBe(0);
        (await InitDb(connectionString)).ShouldBe(0);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'orleans%'", connection);
        (await tables.ExecuteScalarAsync()).ShouldBe(5L);
        await using var queries = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
        (await queries.ExecuteScalarAsync()).ShouldBe(19L);
    }

    [Fact]
    public async Task ThreeSiloProcessesServeThroughTheGatewayAndKeepTheCatalogAcrossARestart()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        using var repository = new TemporaryRepository();
        using var emptyRepository = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f), """{"replicas": 2}""");
        string[] common = [
            "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true", TestKeys.BootstrapSetting,
            $"--Cluster:ClusterId={clusterId}", "--Inference:Device=cpu", $"--Artifacts:CacheDirectory={Path.Combine(emptyRepository.Root, "first-cache")}"];

        var (gateway, inference) = await StartCluster(repository.Root, emptyRepository.Root, common, writeDemo: true);
        try
        {
            await WaitUntilServing(gateway, "pair");
            await WaitUntilServing(gateway, DemoMlp.Name);
            await AssertServes(gateway);

            var (_, metadata) = await Get(gateway.Http, "/v2/models/pair");
            var silos = metadata.GetProperty("parameters").GetProperty("replica_silos").EnumerateArray().Select(s => s.GetString()!).ToArray();
            silos.Length.ShouldBe(2);
            silos.Distinct().Count().ShouldBe(2, "a 2-replica version spreads over both inference silos");
            foreach (var silo in inference) silos.ShouldContain(s => s.Contains($":{silo.SiloPort}"));
            (await ActiveMembers(connectionString, clusterId)).ShouldBe(3);

            await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { PostgresConnectionString = connectionString, ClusterId = clusterId });
            var response = await client.InferAsync("pair", [TensorData.From<float>("x", [1.5f, -2f], 1, 2)]);
            response.Outputs[0].ToArray<float>().ShouldBe([3f, -4f]);
            (await client.UploadVersionAsync("uploaded", "3", TestModels.Scale(7f), label: "stable")).Status.ShouldBe(Models.VersionStatus.Ready);
            (await PutRaw(gateway.Http, "/api/alerts/webhooks", """{"receivers": [{"url": "http://127.0.0.1:9/hook", "secret": "kept"}]}""")).Status.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await StopAll(gateway, inference);
        }

        // Restarted with the model files deleted and an empty artifact cache: whatever serves now comes
        // from the catalog and the artifact store in PostgreSQL.
        repository.Dispose();
        (gateway, inference) = await StartCluster(emptyRepository.Root, emptyRepository.Root,
            [.. common, $"--Artifacts:CacheDirectory={Path.Combine(emptyRepository.Root, "cache")}"], writeDemo: false);
        try
        {
            await WaitUntilServing(gateway, "pair");
            await AssertServes(gateway);
            var (_, models) = await Get(gateway.Http, "/v2/models/demo-mlp");
            models.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ShouldBe(["1"]);
            Directory.Exists(repository.Root).ShouldBeFalse();
            var (uploadedStatus, uploaded) = await Post(gateway.Http, "/v2/models/uploaded/versions/stable/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });
            uploadedStatus.ShouldBe(HttpStatusCode.OK, "a version uploaded through the API, and its label, survive the restart");
            Floats(uploaded.GetProperty("outputs")[0]).ShouldBe([7f, 14f]);
            var (_, webhooks) = await Get(gateway.Http, "/api/alerts/webhooks");
            var receiver = webhooks.GetProperty("receivers").EnumerateArray().ShouldHaveSingleItem();
            (receiver.GetProperty("url").GetString(), receiver.GetProperty("secret").GetString()).ShouldBe(("http://127.0.0.1:9/hook", "********"), "alert webhooks are grain state in PostgreSQL");
            Directory.GetFiles(Path.Combine(emptyRepository.Root, "cache"), "*.onnx").ShouldNotBeEmpty("the replicas loaded from the artifact store");
        }
        finally
        {
            await StopAll(gateway, inference);
        }
    }

    [Fact]
    public async Task LoadThroughTheGatewayScalesAVersionUpAcrossInferenceSilos()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        using var repository = new TemporaryRepository();
        using var emptyRepository = new TemporaryRepository();
        repository.Add("busy", "1", TestModels.SlowScale(2f, layers: 12),
            """{"max_batch_size": 8, "autoscaling": {"min_replicas": 1, "max_replicas": 2, "target_queue_per_replica": 2, "upscale_delay_s": 1, "downscale_delay_s": 600}}""");
        string[] common = [
            "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true", TestKeys.BootstrapSetting,
            $"--Cluster:ClusterId=c{Guid.NewGuid():N}"[..40], "--Inference:Device=cpu", $"--Artifacts:CacheDirectory={Path.Combine(emptyRepository.Root, "cache")}"];
        var (gateway, inference) = await StartCluster(repository.Root, emptyRepository.Root, common, writeDemo: false);
        try
        {
            await WaitUntilServing(gateway, "busy");
            var (_, before) = await Get(gateway.Http, "/api/models/busy/versions/1/autoscaling");
            before.GetProperty("replicas").GetInt32().ShouldBe(1);

            using var stop = new CancellationTokenSource();
            var answered = 0;
            var load = Enumerable.Range(0, 10).Select(async _ =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var (status, body) = await Post(gateway.Http, "/v2/models/busy/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });
                    status.ShouldBe(HttpStatusCode.OK, body.ToString());
                    Floats(body.GetProperty("outputs")[0]).ShouldBe([2f, 4f]);
                    Interlocked.Increment(ref answered);
                }
            }).ToArray();
            var scaled = await Poll.For(async () => (await Get(gateway.Http, "/api/models/busy/versions/1/autoscaling")).Body, a => a.GetProperty("replicas").GetInt32() == 2, TimeSpan.FromSeconds(60));
            // Requests keep being answered across the scale-up, not only up to it.
            var answeredAtScaleUp = Volatile.Read(ref answered);
            await Poll.Until(() => Task.FromResult(Volatile.Read(ref answered) >= answeredAtScaleUp + 20 || load.Any(l => l.IsFaulted)), gateway);
            stop.Cancel();
            await Task.WhenAll(load);

            var decision = scaled.GetProperty("decisions").EnumerateArray().Last();
            decision.GetProperty("from").GetInt32().ShouldBe(1);
            decision.GetProperty("to").GetInt32().ShouldBe(2);
            decision.GetProperty("load").GetDouble().ShouldBeGreaterThan(2, "10 callers keep well over 2 requests ongoing");
            // Placed there at once when both silos' metadata has reached the placing silo, else moved by the model's 5-s rebalance.
            var silos = await Poll.For(async () => (await Get(gateway.Http, "/v2/models/busy")).Body.GetProperty("parameters").GetProperty("replica_silos"),
                s => s.EnumerateArray().Select(silo => silo.GetString()).Distinct().Count() == 2, TimeSpan.FromSeconds(12));
            silos.GetArrayLength().ShouldBe(2, "the added replica runs on the inference silo that had none");
            inference.Append(gateway).ShouldContain(s => s.Output.Contains("1 → 2 replicas"), "the decision is logged with its load");

            // Each inference silo reports its memory budget and the replica it holds; the gateway silo hosts none and does not report.
            var memory = await Poll.For(async () => (await Get(gateway.Http, "/api/memory")).Body, m => m.GetProperty("silos").GetArrayLength() == 2 &&
                m.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("replicas").EnumerateArray().Any(r => r.GetProperty("model").GetString() == "busy")) == 2,
                TimeSpan.FromSeconds(15));
            memory.GetProperty("silos").GetArrayLength().ShouldBe(2, memory.ToString());
            memory.GetProperty("silos").EnumerateArray().ShouldAllBe(s => s.GetProperty("budget_bytes").GetInt64() > 0 && s.GetProperty("used_bytes").GetInt64() > 0, memory.ToString());
        }
        finally
        {
            await StopAll(gateway, inference);
        }
    }

    private static async Task<(SiloProcess Gateway, SiloProcess[] Inference)> StartCluster(string repository, string emptyRepository, string[] common, bool writeDemo)
    {
        var inference = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            SiloProcess.StartAsync(repository, waitForReady: false, [.. common, "--Silo:Roles=inference", $"--Models:WriteDemoModel={writeDemo}"])));
        var gateway = await SiloProcess.StartAsync(emptyRepository, waitForReady: false, [.. common, "--Silo:Roles=gateway"]);
        return (gateway, inference);
    }

    private static async Task StopAll(SiloProcess gateway, SiloProcess[] inference)
    {
        await Task.WhenAll(inference.Append(gateway).Select(s => s.StopAsync()));
        foreach (var silo in inference.Append(gateway)) await silo.DisposeAsync();
    }

    private static async Task AssertServes(SiloProcess gateway)
    {
        var (status, body) = await Post(gateway.Http, "/v2/models/pair/infer", new { inputs = new[] { Tensor("x", "FP32", [2, 2], new[] { 1f, 2, 3, 4 }) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        Floats(body.GetProperty("outputs")[0]).ShouldBe([2f, 4, 6, 8]);
    }

    private static Task WaitUntilServing(SiloProcess gateway, string model) =>
        Poll.Until(async () => (await Get(gateway.Http, $"/v2/models/{model}/ready")).Status == HttpStatusCode.OK, gateway);

    private static async Task<long> ActiveMembers(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @id AND status = 3", connection);
        command.Parameters.AddWithValue("id", clusterId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> InitDb(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Cluster.Silo.dll"), "init-db", $"--ConnectionStrings:Postgres={connectionString}" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"init-db failed ({process.ExitCode}):\n{output}");
        return process.ExitCode;
    }
}
