using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The per-silo capture buffer never makes a router wait: past its size it drops new records and counts them.</summary>
public sealed class CaptureBufferTests
{
    private static CapturedRequest Captured(string id) => new(
        "m", "1", "primary", new InferenceRequest(id, [], []), [], new CaptureConfig(1), null, DateTimeOffset.UnixEpoch, TimeSpan.Zero, "success", null);

    [Fact]
    public void AFullBufferDropsNewRecordsCountsThemAndKeepsTheOldest()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var buffer = new CaptureBuffer(Options.Create(new CaptureOptions { BufferSize = 2 }), services.GetRequiredService<IMeterFactory>());
        var counted = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "cluster.capture.dropped") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            tags.ToArray().ShouldContain(new KeyValuePair<string, object?>("model", "m"));
            counted += value;
        });
        listener.Start();

        for (var i = 0; i < 5; i++) buffer.Offer(Captured($"r{i}"));

        buffer.Dropped.ShouldBe(3);
        counted.ShouldBe(3);
        buffer.TryTake(out var first).ShouldBeTrue();
        buffer.TryTake(out var second).ShouldBeTrue();
        buffer.TryTake(out _).ShouldBeFalse();
        (first!.Request.Id, second!.Request.Id).ShouldBe(("r0", "r1"));

        // Room again: the next record is queued, nothing more dropped.
        buffer.Offer(Captured("r5"));
        buffer.Dropped.ShouldBe(3);
        buffer.TryTake(out var third).ShouldBeTrue();
        third!.Request.Id.ShouldBe("r5");
    }

    [Fact]
    public void RecordsTheStoreCouldNotTakeCountAsDropped()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var buffer = new CaptureBuffer(Options.Create(new CaptureOptions()), services.GetRequiredService<IMeterFactory>());

        buffer.CountDropped("m", 40);

        buffer.Dropped.ShouldBe(40);
    }

    [Fact]
    public void RecordsPastTheByteBudgetAreDroppedAndTakingOneGivesItsBytesBack()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var buffer = new CaptureBuffer(Options.Create(new CaptureOptions { BufferBytes = 1000 }), services.GetRequiredService<IMeterFactory>());
        CapturedRequest Large(string id) => new(
            "m", "1", "primary", new InferenceRequest(id, [TensorData.From<float>("x", new float[100], 100)], []),
            [TensorData.From<float>("y", new float[50], 50)], new CaptureConfig(1), null, DateTimeOffset.UnixEpoch, TimeSpan.Zero, "success", null);

        buffer.Offer(Large("a"));
        buffer.QueuedBytes.ShouldBe(600);
        buffer.Offer(Large("b"));

        buffer.Dropped.ShouldBe(1, "600 + 600 bytes of tensors exceed the 1000-byte budget");
        buffer.QueuedBytes.ShouldBe(600);
        buffer.TryTake(out var first).ShouldBeTrue();
        first!.Request.Id.ShouldBe("a");
        buffer.QueuedBytes.ShouldBe(0);
        buffer.Offer(Large("c"));
        buffer.Dropped.ShouldBe(1);
        buffer.TryTake(out var next).ShouldBeTrue();
        next!.Request.Id.ShouldBe("c");
    }

    [Fact]
    public void AFractionOfOneAlwaysSamplesAndZeroNever()
    {
        Enumerable.Range(0, 1000).All(_ => CaptureBuffer.Sample(new CaptureConfig(1))).ShouldBeTrue();
        Enumerable.Range(0, 1000).Any(_ => CaptureBuffer.Sample(new CaptureConfig(0))).ShouldBeFalse();
        var half = Enumerable.Range(0, 10_000).Count(_ => CaptureBuffer.Sample(new CaptureConfig(0.5)));
        half.ShouldBeInRange(4_500, 5_500);
    }
}
