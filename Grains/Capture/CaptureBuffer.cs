using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Cluster.Models;
using Cluster.Telemetry;
using Microsoft.Extensions.Options;

namespace Cluster.Capture;

/// <summary>
/// The silo's bounded queue of captured requests between routers and the capture writer. A router
/// never waits on it: when the writer falls behind and the queue is full (in records, or in the tensor
/// bytes they hold), the new record is dropped and counted (<c>cluster.capture.dropped</c>), as are
/// batches the store failed to take.
/// </summary>
public sealed class CaptureBuffer
{
    private readonly Channel<CapturedRequest> _channel;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _written;
    private readonly long _maxBytes;
    private long _droppedTotal;
    private long _queuedBytes;
    // Set while the writer gathers a batch: completed by the Offer that queues enough (WhenQueued), not by each one.
    private TaskCompletionSource? _gathering;
    private long _wakeBytes = long.MaxValue;
    private int _wakeRecords = int.MaxValue;

    /// <summary>Creates the queue with <see cref="CaptureOptions.BufferSize"/> places and the capture counters.</summary>
    public CaptureBuffer(IOptions<CaptureOptions> options, IMeterFactory meterFactory)
    {
        _maxBytes = options.Value.BufferBytes;
        _channel = Channel.CreateBounded<CapturedRequest>(
            new BoundedChannelOptions(options.Value.BufferSize) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            CountDropped);
        var meter = meterFactory.Create(InferenceInstruments.MeterName);
        _dropped = meter.CreateCounter<long>("cluster.capture.dropped", description: "Captured requests dropped because the capture writer or its store fell behind.");
        _written = meter.CreateCounter<long>("cluster.capture.written", description: "Captured requests written to the capture store.");
    }

    /// <summary>Records dropped on this silo since it started.</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>Tensor bytes the queued records hold.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Waits until a record is queued; false once the queue is completed and empty.</summary>
    public ValueTask<bool> WaitToTakeAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>
    /// Completes once the queue holds <paramref name="records"/> records or <paramref name="bytes"/> tensor bytes (at once if it
    /// does now). The writer waits on this while it gathers a batch, instead of on each record: at full capture a wake of its
    /// thread per request cost the core that runs the model about as much as writing the record.
    /// </summary>
    public Task WhenQueued(int records, long bytes)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _wakeRecords, records);
        Volatile.Write(ref _wakeBytes, bytes);
        // A full fence: an Offer either sees this signal, or queued what the check below sees.
        Interlocked.Exchange(ref _gathering, signal);
        if (Enough()) Interlocked.Exchange(ref _gathering, null)?.TrySetResult();
        return signal.Task;
    }

    // Bytes first: a bounded channel counts its records under its lock.
    private bool Enough() => Interlocked.Read(ref _queuedBytes) >= Volatile.Read(ref _wakeBytes) || _channel.Reader.Count >= Volatile.Read(ref _wakeRecords);

    /// <summary>Takes the oldest queued record, if any (the writer alone calls this).</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out CapturedRequest request)
    {
        if (!_channel.Reader.TryRead(out request)) return false;
        Interlocked.Add(ref _queuedBytes, -request.PayloadBytes);
        return true;
    }

    /// <summary>Whether to capture this request: a draw against the model's fraction.</summary>
    public static bool Sample(CaptureConfig config) => config.Fraction >= 1 || Random.Shared.NextDouble() < config.Fraction;

    /// <summary>Queues a record if there is room; otherwise it is dropped and counted. Never blocks.</summary>
    public void Offer(CapturedRequest request)
    {
        var bytes = request.PayloadBytes;
        if (Interlocked.Add(ref _queuedBytes, bytes) > _maxBytes && bytes > 0)
        {
            Interlocked.Add(ref _queuedBytes, -bytes);
            request.Release();
            CountDropped(request.Model, 1);
            return;
        }
        // A full queue drops the record through the channel's callback, which gives its bytes back; a completed one (the silo
        // stopping) refuses it outright.
        if (!_channel.Writer.TryWrite(request))
        {
            CountDropped(request);
            return;
        }
        if (Volatile.Read(ref _gathering) is not null && Enough()) Interlocked.Exchange(ref _gathering, null)?.TrySetResult();
    }

    /// <summary>Counts records that were taken from the queue but could not be stored.</summary>
    public void CountDropped(string model, int count)
    {
        Interlocked.Add(ref _droppedTotal, count);
        if (_dropped.Enabled) _dropped.Add(count, new KeyValuePair<string, object?>("model", model));
    }

    /// <summary>Counts records the store took.</summary>
    public void CountWritten(string model, int count)
    {
        if (_written.Enabled) _written.Add(count, new KeyValuePair<string, object?>("model", model));
    }

    /// <summary>Ends the queue: the writer stores what is left and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private void CountDropped(CapturedRequest request)
    {
        Interlocked.Add(ref _queuedBytes, -request.PayloadBytes);
        request.Release();
        CountDropped(request.Model, 1);
    }
}
