using Cluster.Routing;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class WeightedArmSelectorTests
{
    private static readonly (string, double)[] NinetyTen = [("1", 90), ("2", 10)];

    [Fact]
    public void RandomDrawsFollowTheWeightsWithinAChiSquareBound()
    {
        var random = new Random(42);
        var counts = new Dictionary<string, int> { ["1"] = 0, ["2"] = 0 };

        for (var i = 0; i < 10_000; i++) counts[WeightedArmSelector.Pick(NinetyTen, null, random)]++;

        ChiSquare(counts["1"], counts["2"], 0.9).ShouldBeLessThan(10.83, $"{counts["1"]}/{counts["2"]}"); // p = 0.001, 1 degree of freedom
    }

    [Fact]
    public void RoutingKeysSpreadByWeightAndStayPut()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"user-{i}").ToArray();

        var first = keys.Select(k => WeightedArmSelector.Pick(NinetyTen, k, Random.Shared)).ToArray();
        var second = keys.Select(k => WeightedArmSelector.Pick(NinetyTen, k, Random.Shared)).ToArray();

        second.ShouldBe(first, "a key keeps its arm while the weights stay the same");
        ChiSquare(first.Count(a => a == "1"), first.Count(a => a == "2"), 0.9).ShouldBeLessThan(10.83);
    }

    [Fact]
    public void ChangingWeightsMovesAboutTheChangedShareOfKeys()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"user-{i}").ToArray();

        var before = keys.Select(k => WeightedArmSelector.Pick(NinetyTen, k, Random.Shared)).ToArray();
        var after = keys.Select(k => WeightedArmSelector.Pick([("1", 80), ("2", 20)], k, Random.Shared)).ToArray();

        var moved = before.Zip(after).Count(p => p.First != p.Second) / (double)keys.Length;
        moved.ShouldBeInRange(0.08, 0.12, "10 % of the weight moved, so about 10 % of keys should");
        before.Zip(after).ShouldAllBe(p => p.First == p.Second || (p.First == "1" && p.Second == "2"), "keys only move toward the arm that gained weight");
    }

    private static double ChiSquare(int first, int second, double expectedFirstShare)
    {
        var total = first + second;
        double e1 = total * expectedFirstShare, e2 = total * (1 - expectedFirstShare);
        return (first - e1) * (first - e1) / e1 + (second - e2) * (second - e2) / e2;
    }
}
