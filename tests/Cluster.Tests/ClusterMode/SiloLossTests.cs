using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

[Collection(SiloChurnCollection.Name)]
public sealed class SiloLossTests(PostgresFixture postgres)
{
    [Fact]
    public async Task KillingAnInferenceSiloCostsFewRetryableFailuresNoneWrongAndServingResumes()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        var settings = PostgresCluster.Settings(connectionString);
        using var repository = new TemporaryRepository();
        using var empty = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f), """{"replicas": 2, "max_batch_size": 16, "dynamic_batching": {"latency_target_ms": 50}}""");
        var inference = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            SiloProcess.StartAsync(repository.Root, waitForReady: false, [.. settings, "--Silo:Roles=inference"])));
        var gateway = await SiloProcess.StartAsync(empty.Root, waitForReady: false, [.. settings, "--Silo:Roles=gateway"]);
        try
        {
            await Poll.Until(async () => (await Get(gateway.Http, "/v2/models/pair/ready")).Status == HttpStatusCode.OK, gateway);
            await Poll.Until(async () => ReplicaSilos(await Get(gateway.Http, "/v2/models/pair")).Distinct().Count() == 2, gateway);

            var callers = PairCallers.Start(gateway, callers: 4);
            await Poll.Until(() => Task.FromResult(callers.Count >= 200), gateway);
            inference[0].Kill();
            var killedAt = callers.Elapsed;
            // The load spans the whole outage: until the cluster has voted the killed silo dead (so its
            // replicas are placed again on the survivor), and then enough requests to show serving goes on.
            await Poll.Until(() => PostgresCluster.IsDead(connectionString, inference[0].SiloPort), gateway);
            var votedDeadAt = callers.Elapsed;
            var endedBeforeVote = callers.Count;
            await Poll.Until(() => Task.FromResult(callers.Count >= endedBeforeVote + 500), gateway);
            var all = await callers.StopAsync();
            var failures = all.Where(o => o.Status != HttpStatusCode.OK).ToArray();
            var lastFailure = failures.Length == 0 ? killedAt : failures.Max(f => f.At);
            var figures = $"requests {all.Length}, failed {failures.Length} ({string.Join(", ", failures.GroupBy(f => (int)f.Status).Select(g => $"{g.Key}×{g.Count()}"))}), " +
                $"voted dead {(votedDeadAt - killedAt).TotalSeconds:F1} s after the kill, last failure {(lastFailure - killedAt).TotalSeconds:F1} s after it, " +
                $"successes after the last failure: {all.Count(o => o.At > lastFailure)}, after the vote: {all.Count(o => o.At > votedDeadAt && o.Status == HttpStatusCode.OK)}";
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "silo-loss-figures.txt"), figures + Environment.NewLine + string.Join(Environment.NewLine, failures.Select(f => f.Error).Distinct()));

            all.Where(o => o.Status == HttpStatusCode.OK).ShouldAllBe(o => o.Correct, "no wrong output, ever");
            failures.ShouldAllBe(f => (f.Status == HttpStatusCode.ServiceUnavailable || f.Status == HttpStatusCode.GatewayTimeout) && f.Error.Length > 0, figures);
            failures.Length.ShouldBeLessThanOrEqualTo(20, figures);
            all.Count(o => o.At > lastFailure).ShouldBeGreaterThan(100, $"serving resumed after the last failure: {figures}");
        }
        finally
        {
            foreach (var silo in inference.Append(gateway)) await silo.DisposeAsync();
        }
    }

    private static string[] ReplicaSilos((HttpStatusCode Status, JsonElement Body) metadata) =>
        metadata.Status != HttpStatusCode.OK ? [] :
        [.. metadata.Body.GetProperty("parameters").GetProperty("replica_silos").EnumerateArray().Select(s => s.GetString()!)];
}
