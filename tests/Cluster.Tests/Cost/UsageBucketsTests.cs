using Cluster.Cost;
using Shouldly;

namespace Cluster.Tests.Cost;

/// <summary>How a usage grain merges pushes of several silos, forgets old minutes and sums windows.</summary>
public sealed class UsageBucketsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 8, 0, 0, 0, TimeSpan.Zero);
    private static readonly long NowMinute = UsageMeter.Minute(Now);

    private static UsageBucket Bucket(long minute, string silo, double replicaSeconds, string device = DeviceClass.Cpu) =>
        new(minute, silo, device, UsageFigures.Empty with { ReplicaSeconds = replicaSeconds });

    [Fact]
    public void PushesOfTwoSilosMergeIntoOneBucketPerMinuteSiloAndDevice()
    {
        var buckets = new List<UsageBucket>();
        foreach (var bucket in new[] { Bucket(NowMinute - 1, "a", 10), Bucket(NowMinute - 1, "b", 20), Bucket(NowMinute, "a", 5), Bucket(NowMinute - 1, "a", 30), Bucket(NowMinute - 2, "b", 1) })
        {
            UsageBuckets.Merge(buckets, bucket);
        }

        buckets.Select(b => b.Minute).ShouldBeInOrder();
        buckets.Count.ShouldBe(4);
        buckets.Single(b => b.Minute == NowMinute - 1 && b.Silo == "a").Figures.ReplicaSeconds.ShouldBe(40);
        var (total, silos) = UsageBuckets.Sum(buckets, Now, TimeSpan.FromHours(1));
        total.ReplicaSeconds.ShouldBe(66);
        silos.Select(s => (s.Silo, s.Figures.ReplicaSeconds)).ShouldBe([("a", 45), ("b", 21)]);
    }

    [Fact]
    public void AWindowSumsOnlyItsMinutesAndPruningForgetsWhatIsOlderThanAWeek()
    {
        var buckets = new List<UsageBucket>();
        UsageBuckets.Merge(buckets, Bucket(UsageMeter.Minute(Now - TimeSpan.FromDays(8)), "a", 1000));
        UsageBuckets.Merge(buckets, Bucket(UsageMeter.Minute(Now - TimeSpan.FromHours(3)), "a", 100));
        UsageBuckets.Merge(buckets, Bucket(NowMinute - 60, "a", 10));
        UsageBuckets.Merge(buckets, Bucket(NowMinute, "a", 1));

        UsageBuckets.Sum(buckets, Now, TimeSpan.FromHours(1)).Total.ReplicaSeconds.ShouldBe(11);
        UsageBuckets.Sum(buckets, Now, TimeSpan.FromHours(24)).Total.ReplicaSeconds.ShouldBe(111);
        UsageBuckets.Prune(buckets, Now, CostWindow.Kept);
        buckets.Count.ShouldBe(3);
        UsageBuckets.Sum(buckets, Now, TimeSpan.FromDays(7)).Total.ReplicaSeconds.ShouldBe(111);
    }
}
