using Cluster.Bandits;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class Exp3Tests
{
    [Fact]
    public void ArmsStartEvenAndEveryArmKeepsItsExplorationShare()
    {
        var exp3 = new Exp3(new Dictionary<string, double>());
        var start = exp3.Probabilities(["1", "2", "3"], 0.3);
        start.Values.ShouldAllBe(p => Math.Abs(p - 1.0 / 3) < 1e-12);

        for (var i = 0; i < 1000; i++) exp3.Reward("1", 1, exp3.Probabilities(["1", "2", "3"], 0.3)["1"], 0.3, 3);

        var after = exp3.Probabilities(["1", "2", "3"], 0.3);
        after.Values.Sum().ShouldBe(1, 1e-9);
        after["1"].ShouldBeGreaterThan(0.79);
        after["2"].ShouldBeGreaterThanOrEqualTo(0.1 - 1e-12, "γ/K is the floor");
        double.IsFinite(after["1"]).ShouldBeTrue("log-weights do not overflow");
    }

    [Fact]
    public void TheBetterArmWinsWhenRewardsAreDrawnByWhatEachArmEarns()
    {
        var exp3 = new Exp3(new Dictionary<string, double>());
        var random = new Random(7);
        var earns = new Dictionary<string, double> { ["a"] = 0.3, ["b"] = 0.7 };
        for (var i = 0; i < 3000; i++)
        {
            var p = exp3.Probabilities(["a", "b"], 0.1);
            var arm = random.NextDouble() < p["a"] ? "a" : "b";
            exp3.Reward(arm, random.NextDouble() < earns[arm] ? 1 : 0, p[arm], 0.1, 2);
        }
        exp3.Probabilities(["a", "b"], 0.1)["b"].ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public void ANewArmStartsAtTheBestWeightSoItIsNotStarved()
    {
        var weights = new Dictionary<string, double> { ["a"] = 5, ["b"] = 0 };
        var p = new Exp3(weights).Probabilities(["a", "b", "c"], 0.1);
        p["c"].ShouldBe(p["a"], 1e-12);
    }
}
