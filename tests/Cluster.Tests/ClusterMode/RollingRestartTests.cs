using System.Net;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

/// <summary>
/// A rolling upgrade as Kubernetes runs one: every inference silo in turn is stopped with SIGTERM
/// and replaced by a fresh process, while callers keep sending requests through the gateway.
/// </summary>
[Collection(SiloChurnCollection.Name)]
public sealed class RollingRestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RestartingEveryInferenceSiloInTurnUnderLoadFailsNoRequest()
    {
        var settings = PostgresCluster.Settings(await postgres.NewDatabaseAsync());
        using var repository = new TemporaryRepository();
        using var empty = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f), """{"replicas": 2, "max_batch_size": 16, "dynamic_batching": {"latency_target_ms": 50}}""");
        string[] inferenceSettings = [.. settings, "--Silo:Roles=inference"];
        var inference = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => SiloProcess.StartAsync(repository.Root, waitForReady: false, inferenceSettings)));
        var gateway = await SiloProcess.StartAsync(empty.Root, waitForReady: false, [.. settings, "--Silo:Roles=gateway"]);
        PairCallers? callers = null;
        try
        {
            await Poll.Until(async () => (await Get(gateway.Http, "/v2/models/pair/ready")).Status == HttpStatusCode.OK, gateway);
            callers = PairCallers.Start(gateway, callers: 6);

            var restarts = new List<string>();
            for (var i = 0; i < inference.Length; i++)
            {
                var endedBefore = callers.Count;
                var stopping = callers.Elapsed;
                await inference[i].StopAsync();
                var stopped = callers.Elapsed;
                await inference[i].DisposeAsync();
                inference[i] = await SiloProcess.StartAsync(repository.Root, waitForReady: true, inferenceSettings);
                // When each silo went and came back, to set beside the failures' times should there be any.
                restarts.Add($"silo {i} stopping at {stopping.TotalSeconds:F1} s, gone at {stopped.TotalSeconds:F1} s, replaced at {callers.Elapsed.TotalSeconds:F1} s");
                // Traffic flows on the new set of silos before the next one goes.
                await Poll.Until(() => Task.FromResult(callers.Count > endedBefore + 200), gateway);
            }
            var all = await callers.StopAsync();

            var failures = all.Where(o => o.Status != HttpStatusCode.OK).ToArray();
            var figures = $"requests {all.Length}, failed {failures.Length}" +
                $" (at {string.Join(", ", failures.Select(f => $"{f.At.TotalSeconds:F1} s"))}; {string.Join("; ", restarts)}): " +
                string.Join("; ", failures.GroupBy(f => $"{(int)f.Status} {f.Error}").Select(g => $"{g.Count()}× {g.Key}"));
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "rolling-restart-figures.txt"), figures);
            failures.ShouldBeEmpty(figures);
            all.ShouldAllBe(o => o.Correct, "no wrong output, ever");
            all.Length.ShouldBeGreaterThan(400, figures);
        }
        finally
        {
            if (callers is not null) await callers.StopAsync();
            foreach (var silo in inference.Append(gateway)) await silo.DisposeAsync();
        }
    }
}
