using Cluster.Cost;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Cluster.Tests.Cost;

/// <summary>The per-silo usage meter on a fake clock: loaded time split exactly at minute boundaries, batches counted where they finish.</summary>
public sealed class UsageMeterTests
{
    // 30 s into a minute, so loaded time straddles minute boundaries.
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 30, TimeSpan.Zero);
    private const long MiB = 1024 * 1024;

    [Fact]
    public void LoadedTimeIsSplitAtMinuteBoundariesAndStopsWhenTheReplicaUnloads()
    {
        var clock = new FakeTimeProvider(Start);
        var meter = new UsageMeter(clock);
        meter.Loaded("m/1/0", "m", "1", DeviceClass.Cpu, () => 2 * MiB);
        clock.Advance(TimeSpan.FromSeconds(100));
        meter.Unloaded("m/1/0");
        clock.Advance(TimeSpan.FromSeconds(500));

        var buckets = meter.Take("silo-a").ShouldHaveSingleItem().Buckets;

        var minute = UsageMeter.Minute(Start);
        buckets.Select(b => (b.Minute, b.Figures.ReplicaSeconds)).ShouldBe([(minute, 30), (minute + 1, 60), (minute + 2, 10)]);
        buckets.Sum(b => b.Figures.MemoryByteSeconds).ShouldBe(100 * 2 * MiB);
        buckets.ShouldAllBe(b => b.Silo == "silo-a" && b.Device == DeviceClass.Cpu);
    }

    [Fact]
    public void TakingTwiceSplitsTheSameTimeWithoutLosingOrCountingAnySecondTwice()
    {
        var clock = new FakeTimeProvider(Start);
        var meter = new UsageMeter(clock);
        meter.Loaded("m/1/0", "m", "1", DeviceClass.Cuda, () => 0);
        meter.Loaded("m/1/1", "m", "1", DeviceClass.Cuda, () => 0);
        clock.Advance(TimeSpan.FromSeconds(7.5));
        var first = meter.Take("s").Single().Buckets.Sum(b => b.Figures.ReplicaSeconds);
        clock.Advance(TimeSpan.FromSeconds(12.5));
        var second = meter.Take("s").Single().Buckets.Sum(b => b.Figures.ReplicaSeconds);

        (first, second).ShouldBe((15, 25));
        meter.Totals().ShouldHaveSingleItem().Figures.ReplicaSeconds.ShouldBe(40);
        meter.Take("s").ShouldBeEmpty("nothing is loaded that the clock has not moved for");
    }

    [Fact]
    public void BatchesCountBusySecondsRequestsAndRowsInTheMinuteTheyFinish()
    {
        var clock = new FakeTimeProvider(Start);
        var meter = new UsageMeter(clock);
        meter.Loaded("m/2/0", "m", "2", DeviceClass.Cpu, () => 0);
        clock.Advance(TimeSpan.FromSeconds(40));
        meter.RecordBatch("m/2/0", requests: 3, rows: 12, TimeSpan.FromSeconds(1.25));
        meter.RecordBatch("m/2/0", requests: 1, rows: 4, TimeSpan.FromSeconds(0.75));
        meter.RecordBatch("gone/1/0", requests: 1, rows: 1, TimeSpan.FromSeconds(9));

        var taken = meter.Take("s").ShouldHaveSingleItem();
        var figures = taken.Buckets.Aggregate(UsageFigures.Empty, (sum, b) => sum.Add(b.Figures));

        (figures.BusySeconds, figures.Requests, figures.Rows, figures.Batches).ShouldBe((2, 4L, 16L, 2L));
        taken.Buckets.Single(b => b.Figures.Batches > 0).Minute.ShouldBe(UsageMeter.Minute(Start) + 1);
        figures.Utilization.ShouldBe(2.0 / 40);
    }

    [Fact]
    public void RestoredBucketsGoWithTheNextTake()
    {
        var clock = new FakeTimeProvider(Start);
        var meter = new UsageMeter(clock);
        meter.Loaded("m/1/0", "m", "1", DeviceClass.Cpu, () => 0);
        clock.Advance(TimeSpan.FromSeconds(10));
        var failed = meter.Take("s").Single();
        meter.Restore(failed.Model, failed.Version, failed.Buckets);
        clock.Advance(TimeSpan.FromSeconds(5));

        meter.Take("s").Single().Buckets.Sum(b => b.Figures.ReplicaSeconds).ShouldBe(15);
    }

    [Fact]
    public void CudaBucketsCarryTheNameOfTheSilosGpuAndCpuBucketsNone()
    {
        var clock = new FakeTimeProvider(Start);
        var meter = new UsageMeter(clock);
        meter.Loaded("gpu/1/0", "gpu", "1", DeviceClass.Cuda, () => 0, "NVIDIA H200");
        meter.Loaded("cpu/1/0", "cpu", "1", DeviceClass.Cpu, () => 0);
        clock.Advance(TimeSpan.FromSeconds(10));

        var taken = meter.Take("s");

        taken.Single(t => t.Model == "gpu").Buckets.ShouldAllBe(b => b.Device == DeviceClass.Cuda && b.Gpu == "NVIDIA H200");
        taken.Single(t => t.Model == "cpu").Buckets.ShouldAllBe(b => b.Gpu == null);
        var buckets = new List<UsageBucket>();
        foreach (var bucket in taken.Single(t => t.Model == "gpu").Buckets) UsageBuckets.Merge(buckets, bucket);
        UsageBuckets.Sum(buckets, clock.GetUtcNow(), TimeSpan.FromHours(1)).Silos.ShouldHaveSingleItem().Gpu.ShouldBe("NVIDIA H200");
    }
}
