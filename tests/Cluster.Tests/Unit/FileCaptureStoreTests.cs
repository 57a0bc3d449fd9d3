using System.Buffers;
using System.Text;
using System.Text.Json;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
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
        using var store = Store();
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

    private static CaptureRecord Large(string id, DateTimeOffset at, string payload) =>
        new(id, null, "m", "1", at, 30, Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","version":"1","completed_at":"{{at:O}}","raw":"{{payload}}"}"""));

    private async Task<List<string>> Lines(FileCaptureStore store)
    {
        var lines = new List<string>();
        await foreach (var line in store.Read("m", new CaptureQuery(null, null, null), TestContext.Current.CancellationToken)) lines.Add(line);
        return lines;
    }

    [Fact]
    public async Task LargeRecordsWrittenPastThePageCacheComeBackWholeAndInOrderAfterEveryBatch()
    {
        // 40 batches of three records of odd sizes (150,001 bytes and more): 18 MB over many 1 MB buffers, no record on a page boundary.
        using var store = Store();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var payload = new string('x', 150_001);
        for (var b = 0; b < 40; b++)
        {
            await store.Append([.. Enumerable.Range(0, 3).Select(i => Large($"r{b * 3 + i}", at.AddSeconds(b), payload + new string('y', b)))], TestContext.Current.CancellationToken);
            // A batch is readable as soon as it is stored, its last partial page too (checked on every fourth: reading is the slow part).
            if (b % 4 == 1) (await Lines(store)).Count.ShouldBe(3 * (b + 1));
        }

        var lines = await Lines(store);
        lines.Select(l => l.Split('"')[3]).ShouldBe(Enumerable.Range(0, 120).Select(i => $"r{i}"));
        lines.Select((l, i) => l.EndsWith($"\"raw\":\"{payload}{new string('y', i / 3)}\"}}", StringComparison.Ordinal)).ShouldAllBe(whole => whole);
        new FileInfo(Path.Combine(_root, "m", "2026-03-01.jsonl")).Length.ShouldBe(lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l) + 1));
    }

    [Fact]
    public async Task OnLinuxDiskFileSystemsWholePagesBypassThePageCache()
    {
        Directory.CreateDirectory(_root);
        var fileSystem = new DriveInfo(_root).DriveFormat;
        using var writer = new DayFileWriter(Path.Combine(_root, "day.jsonl"));
        var expected = OperatingSystem.IsLinux() && fileSystem is "ext4" or "xfs" or "btrfs";
        if (expected) writer.Direct.ShouldBeTrue($"O_DIRECT on {fileSystem}");
        writer.Append(Encoding.UTF8.GetBytes(new string('z', 10_000) + "\n"));
        writer.Commit();
        (await File.ReadAllTextAsync(writer.Path, TestContext.Current.CancellationToken)).ShouldBe(new string('z', 10_000) + "\n");
    }

    [Fact]
    public async Task AStoreReopeningADayFileCarriesOnAfterItsPartialLastPage()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var payload = new string('x', 5_000);
        using (var first = Store())
        {
            await first.Append([Large("a", at, payload), Large("b", at, payload)], TestContext.Current.CancellationToken);
        }
        using var second = Store();
        await second.Append([Large("c", at, payload)], TestContext.Current.CancellationToken);
        await second.Append([Large("d", at, payload)], TestContext.Current.CancellationToken);

        (await Lines(second)).Select(l => l.Split('"')[3]).ShouldBe(["a", "b", "c", "d"]);
    }

    [Fact]
    public async Task TwoStoresOnOneFolderTakeTurnsWithoutOverwritingEachOther()
    {
        // The second finds the folder's writer lock taken and appends; the first notices the file grew and writes after it.
        using var first = Store();
        using var second = Store();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var payload = new string('x', 7_000);
        for (var i = 0; i < 10; i++)
        {
            var store = i % 2 == 0 ? first : second;
            await store.Append([Large($"r{i}", at, payload)], TestContext.Current.CancellationToken);
        }

        var lines = await Lines(first);
        lines.Select(l => l.Split('"')[3]).ShouldBe(Enumerable.Range(0, 10).Select(i => $"r{i}"));
        lines.ShouldAllBe(l => l.EndsWith($"\"raw\":\"{payload}\"}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALineCutShortByAWriteInProgressIsSkipped()
    {
        using var store = Store();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await store.Append([Record("a", "1", at)], TestContext.Current.CancellationToken);
        await File.AppendAllTextAsync(Path.Combine(_root, "m", "2026-03-01.jsonl"), """{"id":"b","trace_id":null,"model":"m","vers""", TestContext.Current.CancellationToken);

        (await Ids(store, new CaptureQuery(null, null, null))).ShouldBe(["a"]);
    }

    [Fact]
    public async Task DaysPastTheModelsRetentionArePrunedWhole()
    {
        using var store = Store();
        var day = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await store.Append([Record("old", "1", day, retention: 2), Record("new", "1", day.AddDays(2), retention: 2)], TestContext.Current.CancellationToken);

        (await store.Prune(new DateOnly(2026, 3, 3), TestContext.Current.CancellationToken)).ShouldBe(0, "kept through its second day after");
        (await store.Prune(new DateOnly(2026, 3, 4), TestContext.Current.CancellationToken)).ShouldBe(1);

        (await Ids(store, new CaptureQuery(null, null, null))).ShouldBe(["new"]);
    }

    // A record formatted as the capture writer formats it, its tensors' bytes placed in the store's side file.
    private static CaptureRecord Placed(FileCaptureStore store, string id, DateTimeOffset at, byte[] input, byte[] output)
    {
        var captured = new CapturedRequest("m", "1", "primary", new InferenceRequest(id, [new TensorData("x", TensorDataType.UInt8, [input.Length], input)], []),
            [new TensorData("y", TensorDataType.UInt8, [output.Length], output)], new CaptureConfig(1), null, at, TimeSpan.Zero, "success", null);
        return CaptureRecordJson.Append(captured, new ArrayBufferWriter<byte>(), store);
    }

    [Fact]
    public async Task TensorsLieRawInTheDaysSideFileAndComeBackInTheirLinesAcrossDaysAndPrunedWithThem()
    {
        using var store = Store();
        var day = new DateTimeOffset(2026, 3, 1, 23, 59, 59, TimeSpan.Zero);
        // Past the side file's buffer by 200,003 bytes: the first record fills it and goes on, and no record after it starts on a page boundary.
        var large = Enumerable.Range(0, DayFileWriter.TensorCapacity + 200_003).Select(i => (byte)(i * 7)).ToArray();
        var records = new[] { Placed(store, "a", day, large, [1, 2]), Placed(store, "b", day, [3], [4, 5, 6]), Placed(store, "c", day.AddSeconds(2), large[..5], [9]) };
        Encoding.UTF8.GetString(records[0].Json.Span).ShouldNotContain("\"raw\":", customMessage: "the line names where the bytes went instead of carrying them");
        await store.Append(records, TestContext.Current.CancellationToken);

        new FileInfo(Path.Combine(_root, "m", "2026-03-01.tensors")).Length.ShouldBe(large.Length + 2 + 1 + 3);
        var lines = await Lines(store);
        lines.Select(line => line.Split('"')[3]).ShouldBe(["a", "b", "c"]);
        Tensors(lines[0]).ShouldBe([large, new byte[] { 1, 2 }]);
        Tensors(lines[1]).ShouldBe([new byte[] { 3 }, new byte[] { 4, 5, 6 }]);
        Tensors(lines[2]).ShouldBe([large[..5], new byte[] { 9 }], "the next day's record is in the next day's side file");

        (await store.Prune(new DateOnly(2026, 4, 2), TestContext.Current.CancellationToken)).ShouldBe(4);
        Directory.GetFiles(Path.Combine(_root, "m"), "2026-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task AStoreThatFindsTheFolderTakenKeepsTensorsInItsLines()
    {
        using var first = Store();
        using var second = Store();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await first.Append([Placed(first, "a", at, [1, 2, 3], [4])], TestContext.Current.CancellationToken);
        var inline = Placed(second, "b", at, [5, 6], [7]);
        Encoding.UTF8.GetString(inline.Json.Span).ShouldContain("\"raw\":");
        await second.Append([inline], TestContext.Current.CancellationToken);

        var lines = await Lines(first);
        Tensors(lines[0]).ShouldBe([new byte[] { 1, 2, 3 }, new byte[] { 4 }]);
        Tensors(lines[1]).ShouldBe([new byte[] { 5, 6 }, new byte[] { 7 }]);
    }

    private static byte[][] Tensors(string line)
    {
        using var document = JsonDocument.Parse(line);
        return [.. new[] { "inputs", "outputs" }.SelectMany(name => document.RootElement.GetProperty(name).EnumerateArray())
            .Select(tensor => tensor.GetProperty(CaptureRecordJson.RawMember).GetBytesFromBase64())];
    }
}
