using System.Net;
using System.Text.Json;
using Cluster.Client;
using Cluster.Errors;
using Cluster.Models;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Each test runs a silo of its own: a memory budget is per silo, and resident memory moves with every other test.</summary>
public sealed class MemoryPagingTests
{
    private const long MiB = 1024 * 1024;
    private static readonly ModelConfig Declared100 = ModelConfig.Default with { MemoryBytes = 100 * MiB };

    private static async Task<(SiloProcess Silo, InferenceClient Client)> Start(TemporaryRepository repository, long budget, params string[] settings)
    {
        var silo = await SiloProcess.StartAsync(repository.Root, [$"--Inference:MemoryBudgetBytes={budget}", "--Models:WriteDemoModel=false", "--Inference:Device=cpu", .. settings]);
        var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [silo.GatewayPort] });
        return (silo, client);
    }

    private static async Task Infer(SiloProcess silo, string model, float scale)
    {
        var (status, body) = await Post(silo.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        Floats(body.GetProperty("outputs")[0]).ShouldBe([scale, 2 * scale]);
    }

    private static async Task<int> Replicas(InferenceClient client, string model) => (await client.GetModelAsync(model)).Versions[0].Replicas;

    /// <summary>The memory map once it shows what <paramref name="done"/> waits for (silos report every two seconds).</summary>
    private static async Task<JsonElement> Memory(SiloProcess silo, Func<JsonElement, bool> done)
    {
        var silos = await Poll.For(async () => (await Get(silo.Http, "/api/memory")).Body.GetProperty("silos"), s => s.GetArrayLength() == 1 && done(s[0]));
        return silos[0];
    }

    private static string[] Loaded(JsonElement silo) => [.. silo.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("model").GetString()!).Order()];

    [Fact]
    public async Task TheLeastRecentlyUsedUnpinnedVersionIsEvictedAndComesBackOnDemand()
    {
        using var repository = new TemporaryRepository();
        var (silo, client) = await Start(repository, 300 * MiB);
        await using var _ = silo;
        await using var __ = client;
        await client.UploadVersionAsync("pinned", "1", TestModels.Scale(1f), config: Declared100 with { Pinned = true });
        await client.UploadVersionAsync("older", "1", TestModels.Scale(2f), config: Declared100);
        await client.UploadVersionAsync("newer", "1", TestModels.Scale(3f), config: Declared100);
        // The pinned version was used least recently of all, and still must stay.
        await Infer(silo, "older", 2f);
        await Infer(silo, "newer", 3f);

        (await client.UploadVersionAsync("incoming", "1", TestModels.Scale(4f), config: Declared100)).Status.ShouldBe(VersionStatus.Ready);

        (await Replicas(client, "older")).ShouldBe(0, "older was the least recently used unpinned version");
        var older = (await client.GetModelAsync("older")).Versions[0];
        older.Status.ShouldBe(VersionStatus.Ready, "an evicted version still serves, after a cold start");
        older.Reason.ShouldNotBeNull().ShouldContain("memory budget");
        foreach (var kept in new[] { "pinned", "newer", "incoming" }) (await Replicas(client, kept)).ShouldBe(1, kept);
        var map = await Memory(silo, s => s.GetProperty("evictions").GetInt64() == 1 && Loaded(s).Length == 3);
        Loaded(map).ShouldBe(["incoming", "newer", "pinned"]);
        map.GetProperty("used_bytes").GetInt64().ShouldBe(300 * MiB);
        map.GetProperty("budget_bytes").GetInt64().ShouldBe(300 * MiB);

        await Infer(silo, "older", 2f);

        (await Replicas(client, "older")).ShouldBe(1);
        (await Replicas(client, "newer")).ShouldBe(0, "bringing older back evicted the least recently used of the rest: newer, used before incoming loaded");
        (await Replicas(client, "pinned")).ShouldBe(1);
        map = await Memory(silo, s => s.GetProperty("evictions").GetInt64() == 2);
        Loaded(map).ShouldBe(["incoming", "older", "pinned"]);
        silo.Output.ShouldContain("Evicting model older version 1");
        using var metrics = await silo.Http.GetAsync("/metrics");
        var lines = (await metrics.Content.ReadAsStringAsync()).Split('\n');
        lines.ShouldContain(l => l.StartsWith("cluster_memory_evictions_total{", StringComparison.Ordinal) && l.Contains("model=\"newer\""));
        lines.ShouldContain(l => l.StartsWith("cluster_memory_budget_bytes", StringComparison.Ordinal) && l.EndsWith($" {300 * MiB}"));
    }

    [Fact]
    public async Task ALoadWaitsForRoomInsteadOfFailingAndAnOversizedOneFailsAtOnce()
    {
        using var repository = new TemporaryRepository();
        var (silo, client) = await Start(repository, 200 * MiB, "--Inference:MemoryWaitSeconds=25");
        await using var _ = silo;
        await using var __ = client;
        await client.UploadVersionAsync("p1", "1", TestModels.Scale(1f), config: Declared100 with { Pinned = true });
        await client.UploadVersionAsync("p2", "1", TestModels.Scale(2f), config: Declared100 with { Pinned = true });

        var waiting = client.UploadVersionAsync("waiting", "1", TestModels.Scale(5f), config: Declared100);
        await Memory(silo, s => s.GetProperty("waiting_loads").GetInt32() == 1);
        waiting.IsCompleted.ShouldBeFalse("the budget is held by pinned versions, so the load queues");
        await client.UnloadVersionAsync("p1", "1");

        (await waiting).Status.ShouldBe(VersionStatus.Ready, "the queued load went ahead once the unload gave memory back");
        await Infer(silo, "waiting", 5f);
        (await Replicas(client, "p2")).ShouldBe(1, "pinned versions are never evicted");

        var huge = await Should.ThrowAsync<InvalidInferenceRequestException>(() =>
            client.UploadVersionAsync("huge", "1", TestModels.Scale(1f), config: ModelConfig.Default with { MemoryBytes = 300 * MiB }));
        huge.Message.ShouldContain("more than this silo's whole memory budget");
    }

    [Fact]
    public async Task EvictionsGiveTheMemoryBackAndMeasuredFootprintsKeepTheSiloWithinItsBudget()
    {
        const long weights = 1024L * 8192 * 4;
        const int models = 8;
        using var repository = new TemporaryRepository();
        repository.Add("warm-up", "1", TestModels.Scale(1f));
        // Models arrive through the repository folder, so no uploaded bytes sit in the silo's managed heap to blur its resident memory.
        var (silo, client) = await Start(repository, 100 * MiB, "--Models:PollSeconds=1");
        await using var _ = silo;
        await using var __ = client;
        await WaitReady("warm-up");
        var heavy = TestModels.Heavy();
        // One heavy model first, so that what its first load grows once (allocator arenas, ONNX Runtime's threads,
        // compiled code) is in the baseline and the loads below show their weights alone.
        repository.Add("heavy-warm", "1", heavy);
        await WaitReady("heavy-warm");
        var before = silo.ResidentBytes();

        for (var i = 0; i < models; i++)
        {
            repository.Add($"heavy-{i}", "1", heavy);
            await WaitReady($"heavy-{i}");
        }

        var after = silo.ResidentBytes();
        // The map is at most two seconds old: wait for the one that has the last model loaded.
        var map = await Memory(silo, s => s.GetProperty("replicas").EnumerateArray().Any(r => r.GetProperty("model").GetString() == $"heavy-{models - 1}" && r.GetProperty("measured").GetBoolean()));
        map.GetProperty("evictions").GetInt64().ShouldBeGreaterThanOrEqualTo(models - 3);
        map.GetProperty("replicas").EnumerateArray().Where(r => r.GetProperty("model").GetString()!.StartsWith("heavy-"))
            .ShouldAllBe(r => r.GetProperty("measured").GetBoolean() && r.GetProperty("bytes").GetInt64() >= weights);
        map.GetProperty("used_bytes").GetInt64().ShouldBeLessThanOrEqualTo(100 * MiB);
        (await Replicas(client, $"heavy-{models - 1}")).ShouldBe(1);
        (await Replicas(client, "heavy-0")).ShouldBe(0);
        var figures = $"RSS before {before >> 20} MiB, after {models} heavy loads {after >> 20} MiB, weights {weights >> 20} MiB each, budget 100 MiB, evictions {map.GetProperty("evictions").GetInt64()}";
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "paging-memory-figures.txt"), figures);
        // Without evictions the silo would hold eight models' weights (256 MiB); the budget holds three at most, plus allocator slack.
        (after - before).ShouldBeLessThan(5 * weights, "evicted sessions must give their memory back: " + figures);

        // On a timeout the version's state and reason say why, where the silo's log may be cut short.
        Task WaitReady(string model) => Poll.For(async () => (await Get(silo.Http, $"/v2/models/{model}/ready")).Status == HttpStatusCode.OK
            ? "ready" : (await Get(silo.Http, $"/v2/models/{model}")).Body.ToString(), reading => reading == "ready", silo: silo);
    }
}
