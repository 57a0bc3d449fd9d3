using Cluster.Memory;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class EvictionOrderTests
{
    private static MemoryEntry Entry(string model, string version, long lastUsed, bool pinned = false, int replica = 0) =>
        new($"{model}/{version}/{replica}", model, version, replica, pinned, 100, lastUsed);

    private static readonly HashSet<(string, string)> None = [];

    [Fact]
    public void TheLeastRecentlyUsedVersionGoesFirst()
    {
        MemoryEntry[] entries = [Entry("a", "1", 30), Entry("b", "1", 10), Entry("c", "1", 20)];

        EvictionOrder.Next(entries, "new", "1", None).ShouldBe(("b", "1"));
    }

    [Fact]
    public void AVersionIsAsRecentAsItsMostRecentReplica()
    {
        MemoryEntry[] entries = [Entry("a", "1", 5, replica: 0), Entry("a", "1", 50, replica: 1), Entry("b", "1", 20)];

        EvictionOrder.Next(entries, "new", "1", None).ShouldBe(("b", "1"));
    }

    [Fact]
    public void PinnedVersionsTheLoadingVersionAndSkippedOnesNeverGo()
    {
        MemoryEntry[] entries = [Entry("pinned", "1", 1, pinned: true), Entry("self", "2", 2), Entry("busy", "1", 3), Entry("last", "1", 99)];

        EvictionOrder.Next(entries, "self", "2", new HashSet<(string, string)> { ("busy", "1") }).ShouldBe(("last", "1"));
        EvictionOrder.Next([Entry("pinned", "1", 1, pinned: true), Entry("self", "2", 2)], "self", "2", None).ShouldBeNull();
    }

    [Fact]
    public void OtherVersionsOfTheSameModelAreFairGame()
    {
        MemoryEntry[] entries = [Entry("m", "1", 1), Entry("m", "2", 2)];

        EvictionOrder.Next(entries, "m", "2", None).ShouldBe(("m", "1"));
    }
}
