using System.Net;
using Cluster.Batching;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

/// <summary>
/// A silo that stops answering without leaving: a long pause, a frozen machine, SIGSTOP here. Until failure detection
/// votes it dead, Orleans ends a call to it only at the response timeout, which is also the gateway's. Its replica's
/// batches must reach the other replica in time, and reading the model's catalog (which may live there) must not hold
/// requests up.
/// </summary>
[Collection(SiloChurnCollection.Name)]
public sealed class FrozenSiloTests(PostgresFixture postgres)
{
    // Past Orleans' 30 s response timeout, so that a batch left waiting on the frozen replica would fail its callers.
    private static readonly TimeSpan Frozen = TimeSpan.FromSeconds(35);

    [Fact]
    public async Task FreezingEachInferenceSiloInTurnUnderLoadFailsNoRequestAndSendsItsBatchesToTheOtherReplica()
    {
        // Probes that take minutes to fail: the frozen silo stays a member all along, as it would for a while with production settings.
        string[] settings = [.. PostgresCluster.Settings(await postgres.NewDatabaseAsync()), "--Cluster:Membership:ProbeTimeout=00:05:00"];
        using var repository = new TemporaryRepository();
        using var empty = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f), """{"replicas": 2, "max_batch_size": 16, "dynamic_batching": {"latency_target_ms": 50}}""");
        var inference = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => SiloProcess.StartAsync(repository.Root, waitForReady: false, [.. settings, "--Silo:Roles=inference"])));
        var gateway = await SiloProcess.StartAsync(empty.Root, waitForReady: false, [.. settings, "--Silo:Roles=gateway"]);
        PairCallers? callers = null;
        try
        {
            await Poll.Until(async () => (await Get(gateway.Http, "/v2/models/pair/ready")).Status == HttpStatusCode.OK, gateway);
            await Poll.Until(async () => ReplicaSilos(await Get(gateway.Http, "/v2/models/pair")) == 2, gateway);
            callers = PairCallers.Start(gateway, callers: 4);
            var answeredWhileFrozen = new List<int>();
            foreach (var silo in inference)
            {
                var before = callers.Count;
                await Poll.Until(() => Task.FromResult(callers.Count > before + 100), gateway);
                await silo.FreezeAsync();
                var frozenFrom = callers.Count;
                await Task.Delay(Frozen);
                answeredWhileFrozen.Add(callers.Count - frozenFrom);
                await silo.ThawAsync();
            }
            var thawed = callers.Count;
            await Poll.Until(() => Task.FromResult(callers.Count > thawed + 100), gateway);
            var all = await callers.StopAsync();

            var failures = all.Where(o => o.Status != HttpStatusCode.OK).ToArray();
            var figures = $"requests {all.Length}, answered while frozen {string.Join(" and ", answeredWhileFrozen)}, failed {failures.Length}: " +
                string.Join("; ", failures.GroupBy(f => $"{(int)f.Status} {f.Error}").Select(g => $"{g.Count()}× {g.Key}"));
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "frozen-silo-figures.txt"), figures);
            failures.ShouldBeEmpty(figures);
            all.ShouldAllBe(o => o.Correct, "no wrong output, ever");
            answeredWhileFrozen.ShouldAllBe(n => n > 100, $"the other replica served on: {figures}");
            var (_, stats) = await Get(gateway.Http, "/v2/models/pair/versions/1/stats");
            stats.GetProperty("model_stats")[0].GetProperty("batching").GetProperty("retried").GetInt64().ShouldBeGreaterThan(0, figures);
            gateway.Output.ShouldContain($"did not answer a batch in {BatchFailurePolicy.HedgeFloor.TotalSeconds:F0} s");
        }
        finally
        {
            if (callers is not null) await callers.StopAsync();
            foreach (var silo in inference)
            {
                await silo.ThawAsync();
                await silo.DisposeAsync();
            }
            await gateway.DisposeAsync();
        }
    }

    private static int ReplicaSilos((HttpStatusCode Status, System.Text.Json.JsonElement Body) metadata) =>
        metadata.Status != HttpStatusCode.OK ? 0 :
        metadata.Body.GetProperty("parameters").GetProperty("replica_silos").EnumerateArray().Select(s => s.GetString()).Distinct().Count();
}
