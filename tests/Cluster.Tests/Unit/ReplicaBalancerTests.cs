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
}
