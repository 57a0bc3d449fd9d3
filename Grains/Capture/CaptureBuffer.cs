using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Cluster.Models;
using Cluster.Telemetry;
using Microsoft.Extensions.Options;

namespace Cluster.Capture;

/// <summary>
/// The silo's bounded queue of captured requests between routers and the capture writer. A router
/// never waits on it: when the writer falls behind and the queue is full, the new record is dropped
/// and counted (<c>cluster.capture.dropped</c>), as are batches the store failed to take.
/// </summary>
public sealed class CaptureBuffer
{
    private readonly Channel<CapturedRequest> _channel;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _written;
    private long _droppedTotal;

    /// <summary>Creates the queue with <see cref="CaptureOptions.BufferSize"/> places and the capture counters.</summary>
    public CaptureBuffer(IOptions<CaptureOptions> options, IMeterFactory meterFactory)
    {
        _channel = Channel.CreateBounded<CapturedRequest>(
            new BoundedChannelOptions(options.Value.BufferSize) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            CountDropped);
        var meter = meterFactory.Create(InferenceInstruments.MeterName);
        _dropped = meter.CreateCounter<long>("cluster.capture.dropped", description: "Captured requests dropped because the capture writer or its store fell behind.");
        _written = meter.CreateCounter<long>("cluster.capture.written", description: "Captured requests written to the capture store.");
    }

    /// <summary>Records dropped on this silo since it started.</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>What the writer drains.</summary>
    public ChannelReader<CapturedRequest> Reader => _channel.Reader;

    /// <summary>Whether to capture this request: a draw against the model's fraction.</summary>
    public static bool Sample(CaptureConfig config) => config.Fraction >= 1 || Random.Shared.NextDouble() < config.Fraction;

    /// <summary>Queues a record if there is room; otherwise it is dropped and counted. Never blocks.</summary>
    public void Offer(CapturedRequest request) => _channel.Writer.TryWrite(request);

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

    private void CountDropped(CapturedRequest request) => CountDropped(request.Model, 1);
}
