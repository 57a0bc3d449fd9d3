using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

[Collection(PostgresCollection.Name)]
public sealed class SiloLossTests(PostgresFixture postgres)
{
    // Failure detection tuned for tests: a silo that misses 2 one-second probes is voted dead.
    private static readonly string[] FastMembership =
        ["--Cluster:Membership:ProbeTimeout=00:00:01", "--Cluster:Membership:NumMissedProbesLimit=2"];

    [Fact]
    public async Task KillingAnInferenceSiloCostsFewRetryableFailuresNoneWrongAndServingResumes()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        using var repository = new TemporaryRepository();
        using var empty = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f), """{"replicas": 2, "max_batch_size": 16, "dynamic_batching": {"latency_target_ms": 50}}""");
        string[] common = [
            "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true", TestKeys.BootstrapSetting,
            $"--Cluster:ClusterId=k{Guid.NewGuid():N}", "--Inference:Device=cpu", "--Models:WriteDemoModel=false", .. FastMembership];
        var inference = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            SiloProcess.StartAsync(repository.Root, waitForReady: false, [.. common, "--Silo:Roles=inference"])));
        var gateway = await SiloProcess.StartAsync(empty.Root, waitForReady: false, [.. common, "--Silo:Roles=gateway"]);
        try
        {
            await WaitUntil(async () => (await Get(gateway.Http, "/v2/models/pair/ready")).Status == HttpStatusCode.OK, gateway);
            await WaitUntil(async () => ReplicaSilos(await Get(gateway.Http, "/v2/models/pair")).Distinct().Count() == 2, gateway);

            var outcomes = new ConcurrentQueue<(TimeSpan At, HttpStatusCode Status, bool Correct, string Error)>();
            var clock = Stopwatch.StartNew();
            var killAt = TimeSpan.FromSeconds(2);
            var stopAt = killAt + TimeSpan.FromSeconds(25);
            var callers = Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
            {
                for (var i = 0; clock.Elapsed < stopAt; i++)
                {
                    var x = new[] { caller + i * 0.5f, -i };
                    var (status, body) = await Post(gateway.Http, "/v2/models/pair/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], x) } });
                    var correct = status == HttpStatusCode.OK && Floats(body.GetProperty("outputs")[0]).SequenceEqual(x.Select(v => v * 2));
                    var error = status == HttpStatusCode.OK ? "" : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "";
                    outcomes.Enqueue((clock.Elapsed, status, correct, error));
                }
            })).ToArray();
            await Task.Delay(killAt);
            inference[0].Kill();
            var killedAt = clock.Elapsed;
            await Task.WhenAll(callers);

            var all = outcomes.ToArray();
            var failures = all.Where(o => o.Status != HttpStatusCode.OK).ToArray();
            var lastFailure = failures.Length == 0 ? killedAt : failures.Max(f => f.At);
            var figures = $"requests {all.Length}, failed {failures.Length} ({string.Join(", ", failures.GroupBy(f => (int)f.Status).Select(g => $"{g.Key}×{g.Count()}"))}), " +
                $"last failure {(lastFailure - killedAt).TotalSeconds:F1} s after the kill, successes after it: {all.Count(o => o.At > lastFailure)}";
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "silo-loss-figures.txt"), figures + Environment.NewLine + string.Join(Environment.NewLine, failures.Select(f => f.Error).Distinct()));

            all.Where(o => o.Status == HttpStatusCode.OK).ShouldAllBe(o => o.Correct, "no wrong output, ever");
            failures.ShouldAllBe(f => (f.Status == HttpStatusCode.ServiceUnavailable || f.Status == HttpStatusCode.GatewayTimeout) && f.Error.Length > 0, figures);
            failures.Length.ShouldBeLessThanOrEqualTo(20, figures);
            (lastFailure - killedAt).ShouldBeLessThan(TimeSpan.FromSeconds(15), figures);
            all.Count(o => o.At > killedAt + TimeSpan.FromSeconds(15)).ShouldBeGreaterThan(10, figures);
        }
        finally
        {
            foreach (var silo in inference.Append(gateway)) await silo.DisposeAsync();
        }
    }

    private static string[] ReplicaSilos((HttpStatusCode Status, JsonElement Body) metadata) =>
        metadata.Status != HttpStatusCode.OK ? [] :
        [.. metadata.Body.GetProperty("parameters").GetProperty("replica_silos").EnumerateArray().Select(s => s.GetString()!)];

    private static async Task WaitUntil(Func<Task<bool>> condition, SiloProcess gateway)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"Condition not met in 90 s:\n{gateway.Output}");
            await Task.Delay(250);
        }
    }
}
