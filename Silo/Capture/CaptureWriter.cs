using System.Buffers;
using Cluster.Capture;
using Cluster.Tensors;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Capture;

/// <summary>
/// Drains the silo's <see cref="CaptureBuffer"/>: formats queued records into one reused buffer, gathering them until
/// the batch is full (<see cref="CaptureOptions.BatchSize"/> records or <see cref="CaptureOptions.BatchBytes"/>) or its
/// first record has waited <see cref="CaptureOptions.FlushMilliseconds"/>, and hands the batch to the
/// <see cref="ICaptureStore"/>; a batch the store refuses is dropped and counted. Prunes expired records every <see cref="CaptureOptions.PruneEveryMinutes"/>.
/// </summary>
internal sealed partial class CaptureWriter(
    CaptureBuffer buffer, ICaptureStore store, IOptions<CaptureOptions> options, TimeProvider time, ILogger<CaptureWriter> logger) : BackgroundService
{
    // Tensor bytes queued that wake a gathering writer before its flush time: about nine 110 KB images, so few lent arrays wait on it.
    internal const long WakeBytes = 1 << 20;

    /// <summary>
    /// The writer thread's name, as <c>top -H</c> and /proc/{pid}/task/*/comm show it (Linux keeps 15 characters): capture's own
    /// share of the silo's CPU can be read off it apart from the request threads'.
    /// </summary>
    public const string ThreadName = "Capture writer";

    // Where the store keeps tensors apart from the lines, if it does (the file store).
    private readonly ITensorSideFile? _sideFile = store as ITensorSideFile;

    // One batch's lines, kept between batches: at full capture of large tensors a fresh buffer per record would be garbage at the rate of the traffic.
    private readonly ArrayBufferWriter<byte> _json = new(1 << 20);

    // The store's writes and syncs block their thread (file I/O on Linux is synchronous underneath), so they get a thread of their own:
    // on the thread pool, a silo on one core has one worker thread to start with, and a sync of the capture file stalled inference
    // behind it (the core sat 13 % idle under full load while capturing).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Task.Factory.StartNew(() => Drain(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
        PruneEvery(stoppingToken));

    private void Drain(CancellationToken stoppingToken)
    {
        // A long-running task has a thread of its own, so naming it names nothing else.
        Thread.CurrentThread.Name = ThreadName;
        // Request threads wake this one; its wake-ups must not preempt them (see BatchScheduling).
        BatchScheduling.TryApplyToCurrentThread();
        var batch = new List<CaptureRecord>(options.Value.BatchSize);
        var flushAfter = TimeSpan.FromMilliseconds(options.Value.FlushMilliseconds);
        // Fires FlushMilliseconds after the first record of the batch being gathered; null while the batch is empty.
        Task? due = null;
        try
        {
            while (true)
            {
                var flush = false;
                if (due is null)
                {
                    // An empty batch: the first record wakes the writer, so that the flush time counts from it.
                    if (!buffer.WaitToTakeAsync(stoppingToken).AsTask().GetAwaiter().GetResult()) break;
                }
                else
                {
                    flush = Task.WaitAny([buffer.WhenQueued(options.Value.BatchSize - batch.Count, WakeBytes), due], stoppingToken) == 1;
                }
                Take(batch);
                if (flush || Full(batch))
                {
                    Store(batch);
                    due = null;
                }
                else
                {
                    due ??= Task.Delay(flushAfter, time);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is gathered and what is queued now is still written below.
        }
        do
        {
            Store(batch);
        }
        while (Take(batch) > 0);
    }

    // A batch goes to the store whole, once per many records: each store call costs a write to the disk (or a COPY), and at full
    // capture of large tensors one per record cost the silo's core more in the kernel than all the formatting.
    private bool Full(List<CaptureRecord> batch) => batch.Count >= options.Value.BatchSize || _json.WrittenCount >= options.Value.BatchBytes;

    /// <summary>Formats what is queued into the batch being gathered, up to a full batch; returns how many records it took from the queue.</summary>
    private int Take(List<CaptureRecord> batch)
    {
        var taken = 0;
        while (!Full(batch) && buffer.TryTake(out var captured))
        {
            taken++;
            try
            {
                batch.Add(CaptureRecordJson.Append(captured, _json, _sideFile));
            }
            catch (Exception ex)
            {
                buffer.CountDropped(captured.Model, 1);
                LogFormatFailed(logger, captured.Model, ex.Message);
            }
            // The record shares lent tensors with the call that lent them (TensorBuffers.Share); formatted, it gives its share back.
            captured.Release();
        }
        return taken;
    }

    /// <summary>Hands the gathered batch to the store and starts the next one empty.</summary>
    private void Store(List<CaptureRecord> batch)
    {
        if (batch.Count == 0) return;
        try
        {
            store.Append(batch, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var model in batch.GroupBy(r => r.Model)) buffer.CountWritten(model.Key, model.Count());
        }
        catch (Exception ex)
        {
            // Capture is best effort: inference never waits on the store, so what it cannot take is lost, and counted.
            foreach (var model in batch.GroupBy(r => r.Model)) buffer.CountDropped(model.Key, model.Count());
            LogStoreFailed(logger, batch.Count, ex.Message);
        }
        batch.Clear();
        _json.ResetWrittenCount();
    }

    private async Task PruneEvery(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PruneEveryMinutes), time);
        do
        {
            try
            {
                var pruned = await store.Prune(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), stoppingToken);
                if (pruned > 0) LogPruned(logger, pruned);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPruneFailed(logger, ex.Message);
            }
        }
        while (await WaitTick(timer, stoppingToken));
    }

    private static async Task<bool> WaitTick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capture store refused {Count} records; they are dropped: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A captured request of {Model} could not be formatted; it is dropped: {Reason}")]
    private static partial void LogFormatFailed(ILogger logger, string model, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} expired capture records (rows or day files)")]
    private static partial void LogPruned(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired capture records failed: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
