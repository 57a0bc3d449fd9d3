using Cluster.Batching;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class ReplicaBalancerTests
{
    [Fact]
    public void TwoReplicasAreFilledEvenly()
    {
        var balancer = new ReplicaBalancer();

        var first = balancer.Acquire(2);
        var second = balancer.Acquire(2);

        second.ShouldNotBe(first, "with two replicas the power of two choices always sees both");
        balancer.Total.ShouldBe(2);
        balancer.Release(first);
        balancer.Acquire(2).ShouldBe(first);
    }

    [Fact]
    public void LoadStaysSpreadAcrossManyReplicas()
    {
        var balancer = new ReplicaBalancer();

        for (var i = 0; i < 400; i++) balancer.Acquire(8);

        Enumerable.Range(0, 8).Select(balancer.Outstanding).Max().ShouldBeLessThanOrEqualTo(60);
        balancer.Total.ShouldBe(400);
    }

    [Fact]
    public void AHedgeGoesToTheLeastLoadedOtherReplicaAndNoneWhenThereIsNoOther()
    {
        var balancer = new ReplicaBalancer();

        balancer.AcquireOther(3, except: 0).ShouldBe(1, "replicas 1 and 2 are equally idle: the first");
        balancer.AcquireOther(3, except: 0).ShouldBe(2, "replica 1 has a batch now");
        balancer.AcquireOther(3, except: 2).ShouldBe(0, "replica 0 has none");
        balancer.Total.ShouldBe(3);
        balancer.AcquireOther(1, except: 0).ShouldBeNull();
        balancer.Total.ShouldBe(3);
    }

    [Fact]
    public void ABatchMovedToAnotherReplicaIsCountedThereOnly()
    {
        var balancer = new ReplicaBalancer();
        var from = balancer.Acquire(2);

        balancer.Move(from, 1 - from);

        balancer.Outstanding(from).ShouldBe(0);
        balancer.Outstanding(1 - from).ShouldBe(1);
        balancer.Total.ShouldBe(1);
    }
}
