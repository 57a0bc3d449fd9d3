using System.Net;
using Cluster.Placement;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class ReplicaSpreadTests
{
    private static readonly SiloAddress A = SiloAddress.New(IPAddress.Loopback, 11111, 1);
    private static readonly SiloAddress B = SiloAddress.New(IPAddress.Loopback, 11112, 1);
    private static readonly SiloAddress C = SiloAddress.New(IPAddress.Loopback, 11113, 1);

    [Fact]
    public void ReplicasCrowdedOnOneSiloMoveToTheEmptyOnes()
    {
        var moves = ReplicaSpread.Plan([A, A, A], [A, B, C]);

        moves.Select(m => m.Target).Order().ShouldBe(new[] { B, C }.Order());
        moves.Select(m => m.Index).ShouldBe([2, 1]);
    }

    [Fact]
    public void AddedReplicasGoToTheSilosWithFewestOfTheVersion()
    {
        ReplicaSpread.Targets([A, A], [A, B, C], 3).ShouldBe([B, C, B]);
        ReplicaSpread.Targets([A, B], [A, B], 1).ShouldBe([A]);
        ReplicaSpread.Targets([C], [A, B], 2).ShouldBe([A, B], "a silo that left takes none");
        ReplicaSpread.Targets([], [], 2).ShouldBeEmpty();
    }

    [Fact]
    public void AmongSilosWithEquallyFewReplicasTheOneWithMostFreeMemoryComesFirst()
    {
        var free = new Dictionary<SiloAddress, long> { [A] = 10, [B] = 500, [C] = 200 };

        ReplicaSpread.Targets([], [A, B, C], 3, free).ShouldBe([B, C, A]);
        ReplicaSpread.Targets([B], [A, B, C], 1, free).ShouldBe([C], "fewer replicas of the version still come first");
        ReplicaSpread.Targets([], [A, B], 1, new Dictionary<SiloAddress, long> { [A] = 1 }).ShouldBe([A], "a silo that reported beats one not heard from");
    }

    [Fact]
    public void AnEvenSpreadOrASingleSiloMovesNothing()
    {
        ReplicaSpread.Plan([A, B, A], [A, B]).ShouldBeEmpty();
        ReplicaSpread.Plan([A, A], [A]).ShouldBeEmpty();
        ReplicaSpread.Plan([A], [A, B]).ShouldBeEmpty();
    }

    [Fact]
    public void ReplicasOnASiloThatLeftAlwaysMoveAndTheRestEvenOut()
    {
        SiloAddress[] current = [C, C, A, A];

        foreach (var (index, target) in ReplicaSpread.Plan(current, [A, B])) current[index] = target;

        current.ShouldNotContain(C);
        current.Count(s => s == A).ShouldBe(2);
        current.Count(s => s == B).ShouldBe(2);
    }
}
