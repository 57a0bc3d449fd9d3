extern alias silo;
using System.Diagnostics.Metrics;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;
using silo::Cluster.Silo.Capture;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// The capture writer gathers records into batches before it stores them: a batch goes to the store once it is full, or once
/// its first record has waited <see cref="CaptureOptions.FlushMilliseconds"/> on the silo's clock, and what is gathered when
/// the silo stops is stored then.
/// </summary>
public sealed class CaptureGatheringTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "captures-" + Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private (CaptureBuffer Buffer, FileCaptureStore Store, CaptureWriter Writer) Start(int batchSize)
    {
        var options = Options.Create(new CaptureOptions { Directory = _root, BatchSize = batchSize, FlushMilliseconds = 250 });
        var buffer = new CaptureBuffer(options, _services.GetRequiredService<IMeterFactory>());
        var store = new FileCaptureStore(options);
        return (buffer, store, new CaptureWriter(buffer, store, options, _clock.Provider, NullLogger<CaptureWriter>.Instance));
    }

    // Each record holds a 4-byte input, so the buffer's queued bytes fall to zero once the writer has taken every record.
    private CapturedRequest Captured(string id) => new(
        "m", "1", "primary", new InferenceRequest(id, [new TensorData("x", TensorDataType.FP32, [1], new byte[4])], []), [], new CaptureConfig(1),
        null, _clock.Now, TimeSpan.FromMilliseconds(1), "success", null);

    private static async Task<List<string>> Ids(FileCaptureStore store)
    {
        var ids = new List<string>();
        await foreach (var line in store.Read("m", new CaptureQuery(null, null, null), TestContext.Current.CancellationToken)) ids.Add(line.Split('"')[3]);
        return ids;
    }

    [Fact]
    public async Task RecordsOfLightTrafficAreStoredTogetherOnceTheFirstHasWaitedTheFlushInterval()
    {
        var (buffer, store, writer) = Start(batchSize: 100);
        using var _ = store;
        await writer.StartAsync(TestContext.Current.CancellationToken);
        buffer.Offer(Captured("a"));
        buffer.Offer(Captured("b"));
        // The first record wakes the writer; the second need not, and waits in the queue with the batch for the flush time.
        await Eventually.Until(() => Task.FromResult(buffer.QueuedBytes <= 4), "the writer taking the first record");

        // Nothing moves the writer now but the clock: had it stored records as they came, they would be in the file by now.
        (await Eventually.Holds(async () => (await Ids(store)).Count > 0, TimeSpan.FromMilliseconds(300))).ShouldBeFalse();
        var waited = TimeSpan.Zero;
        while (!await Eventually.Holds(async () => (await Ids(store)).Count > 0, TimeSpan.FromMilliseconds(100)))
        {
            waited.ShouldBeLessThan(TimeSpan.FromSeconds(1), "the batch reaching the store within its flush time");
            await _clock.Advance(TimeSpan.FromMilliseconds(10));
            waited += TimeSpan.FromMilliseconds(10);
        }

        waited.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250), "no record is stored before the first has waited the flush time");
        (await Ids(store)).ShouldBe(["a", "b"], "both went in one batch");
        buffer.QueuedBytes.ShouldBe(0);
        await writer.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AFullBatchIsStoredWithoutWaitingAndWhatIsGatheredAtStopIsStoredThen()
    {
        var (buffer, store, writer) = Start(batchSize: 3);
        using var _ = store;
        await writer.StartAsync(TestContext.Current.CancellationToken);
        foreach (var id in new[] { "a", "b", "c", "d" }) buffer.Offer(Captured(id));

        // The clock stands still: three records queued fill the batch and wake the writer; the fourth waits for more, or for the interval.
        await Eventually.Until(async () => (await Ids(store)).Count == 3, "the full batch reaching the store");
        await Eventually.Until(() => Task.FromResult(buffer.QueuedBytes == 0), "the writer taking the fourth record");
        (await Ids(store)).ShouldBe(["a", "b", "c"]);

        await writer.StopAsync(TestContext.Current.CancellationToken);
        (await Ids(store)).ShouldBe(["a", "b", "c", "d"]);
    }

    [Fact]
    public async Task TheStoreIsCalledOnTheWritersOwnThreadUnderItsName()
    {
        var options = Options.Create(new CaptureOptions { Directory = _root, BatchSize = 1 });
        var buffer = new CaptureBuffer(options, _services.GetRequiredService<IMeterFactory>());
        using var files = new FileCaptureStore(options);
        var store = new ThreadNoting(files);
        var writer = new CaptureWriter(buffer, store, options, _clock.Provider, NullLogger<CaptureWriter>.Instance);
        await writer.StartAsync(TestContext.Current.CancellationToken);
        buffer.Offer(Captured("a"));

        await Eventually.Until(async () => (await Ids(files)).Count == 1, "the record reaching the store");
        await writer.StopAsync(TestContext.Current.CancellationToken);
        // What top -H and the benchmark's per-thread CPU read: Linux's own name of the thread, not .NET's.
        store.ThreadNames.ShouldAllBe(name => name == CaptureWriter.ThreadName);
        store.ThreadNames.ShouldNotBeEmpty();
    }

    /// <summary>The file store, noting the kernel's name of each thread that appends to it.</summary>
    private sealed class ThreadNoting(FileCaptureStore files) : ICaptureStore
    {
        public List<string> ThreadNames { get; } = [];

        public Task Append(IReadOnlyList<CaptureRecord> records, CancellationToken cancellationToken)
        {
            ThreadNames.Add(File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n'));
            return files.Append(records, cancellationToken);
        }

        public IAsyncEnumerable<string> Read(string model, CaptureQuery query, CancellationToken cancellationToken) => files.Read(model, query, cancellationToken);

        public Task<long> Prune(DateOnly today, CancellationToken cancellationToken) => files.Prune(today, cancellationToken);
    }
}
