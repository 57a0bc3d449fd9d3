using System.Text;
using Cluster.Capture;
using Microsoft.Extensions.Options;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The embedded default's capture files: one per model and day, exported oldest first with filters, pruned by retention.</summary>
public sealed class FileCaptureStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "captures-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private FileCaptureStore Store() => new(Options.Create(new CaptureOptions { Directory = _root }));

    private static CaptureRecord Record(string id, string version, DateTimeOffset at, int retention = 30) =>
        new(id, null, "m", version, at, retention,
            Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","trace_id":null,"model":"m","version":"{{version}}","completed_at":"{{at:O}}","inputs":[{"name":"x","data":[1,2]}]}"""));

    private static async Task<string[]> Ids(FileCaptureStore store, CaptureQuery query, string model = "m")
    {
        var ids = new List<string>();
        await foreach (var line in store.Read(model, query, TestContext.Current.CancellationToken)) ids.Add(line.Split('"')[3]);
        return [.. ids];
    }

    [Fact]
    public async Task RecordsComeBackOldestFirstAcrossDaysFilteredByVersionTimeAndLimit()
    {
        var store = Store();
        var day1 = new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero);
        await store.Append([Record("a", "1", day1), Record("b", "2", day1.AddSeconds(30))], TestContext.Current.CancellationToken);
        await store.Append([Record("c", "1", day1.AddMinutes(2)), Record("d", "1", day1.AddDays(1))], TestContext.Current.CancellationToken);

        Directory.GetFiles(Path.Combine(_root, "m"), "*.jsonl").Select(Path.GetFileName).Order().ShouldBe(["2026-03-01.jsonl", "2026-03-02.jsonl"]);
        (await Ids(store, new CaptureQuery(null, null, null))).ShouldBe(["a", "b", "c", "d"]);
        (await Ids(store, new CaptureQuery("1", null, null))).ShouldBe(["a", "c", "d"]);
        (await Ids(store, new CaptureQuery(null, day1.AddSeconds(30), day1.AddDays(1)))).ShouldBe(["b", "c"]);
        (await Ids(store, new CaptureQuery(null, null, null, Limit: 2))).ShouldBe(["a", "b"]);
        (await Ids(store, new CaptureQuery(null, null, null), model: "other")).ShouldBeEmpty();
    }

    [Fact]
    public async Task RecordsSyncedAndDroppedFromThePageCacheComeBackWholeAndInOrder()
    {
        // 40 batches of three 150 KB records: 18 MB, past the 8 MB after which the store syncs a file and drops its pages.
        var store = Store();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var payload = new string('x', 150_000);
        static CaptureRecord Large(string id, DateTimeOffset at, string payload) =>
            new(id, null, "m", "1", at, 30, Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","version":"1","completed_at":"{{at:O}}","raw":"{{payload}}"}"""));
        for (var b = 0; b < 40; b++)
        {
            await store.Append([.. Enumerable.Range(0, 3).Select(i => Large($"r{b * 3 + i}", at.AddSeconds(b), payload))], TestContext.Current.CancellationToken);
        }

        var lines = new List<string>();
        await foreach (var line in store.Read("m", new CaptureQuery(null, null, null), TestContext.Current.CancellationToken)) lines.Add(line);
        lines.Select(l => l.Split('"')[3]).ShouldBe(Enumerable.Range(0, 120).Select(i => $"r{i}"));
        lines.ShouldAllBe(l => l.EndsWith($"\"raw\":\"{payload}\"}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALineCutShortByAWriteInProgressIsSkipped()
    {
        var store = Store();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await store.Append([Record("a", "1", at)], TestContext.Current.CancellationToken);
        await File.AppendAllTextAsync(Path.Combine(_root, "m", "2026-03-01.jsonl"), """{"id":"b","trace_id":null,"model":"m","vers""", TestContext.Current.CancellationToken);

        (await Ids(store, new CaptureQuery(null, null, null))).ShouldBe(["a"]);
    }

    [Fact]
    public async Task DaysPastTheModelsRetentionArePrunedWhole()
    {
        var store = Store();
        var day = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await store.Append([Record("old", "1", day, retention: 2), Record("new", "1", day.AddDays(2), retention: 2)], TestContext.Current.CancellationToken);

        (await store.Prune(new DateOnly(2026, 3, 3), TestContext.Current.CancellationToken)).ShouldBe(0, "kept through its second day after");
        (await store.Prune(new DateOnly(2026, 3, 4), TestContext.Current.CancellationToken)).ShouldBe(1);

        (await Ids(store, new CaptureQuery(null, null, null))).ShouldBe(["new"]);
    }
}
