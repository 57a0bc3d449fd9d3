using System.Collections.Immutable;
using Cluster.Drift;
using Cluster.Routing;
using Cluster.Rollouts;
using Cluster.Statistics;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class OutputStatisticsTests
{
    [Fact]
    public void ClassScoresAreBinnedByArgmaxAndSingleValuesByMagnitude()
    {
        var classes = OutputProfiler.Profile(TensorData.From<float>("p", [0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f], 3, 2))!;
        classes.Classes.ShouldBeTrue();
        classes.Bins.ShouldBe(new Dictionary<int, long> { [0] = 1, [1] = 2 });

        var values = OutputProfiler.Profile(TensorData.From<float>("v", [2f, 2.02f, -2f, 100f], 4, 1))!;
        values.Classes.ShouldBeFalse();
        values.Bins.Count.ShouldBe(3, "2 and 2.02 share a bucket, −2 and 100 do not");
        OutputProfiler.Profile(TensorData.From<float>("wide", new float[5000], 1, 5000)).ShouldBeNull();
    }

    [Fact]
    public void PopulationStabilityIsZeroForTheSameShapeAndLargeForAShift()
    {
        var even = Distribution((0, 500), (1, 500));
        var evenAgain = Distribution((0, 50), (1, 50));
        var shifted = Distribution((0, 100), (1, 900));

        DriftMath.Psi(evenAgain, even).ShouldBeLessThan(0.01);
        DriftMath.Psi(shifted, even).ShouldBeGreaterThan(0.25);
        double.IsFinite(DriftMath.Psi(Distribution((2, 10)), even)).ShouldBeTrue("disjoint bins stay finite");
    }

    [Fact]
    public void AStepsFiguresAreTheTotalMinusTheTotalAtItsStart()
    {
        var before = Delta(success: 10, failure: 0, seconds: 0.001, (0, 10));
        var now = before.Merge(Delta(success: 5, failure: 5, seconds: 0.1, (1, 5)));

        var step = now.Minus(before);

        step.Requests.ShouldBe(10);
        step.ErrorRate.ShouldBe(0.5);
        step.Request.Count.ShouldBe(5);
        step.Request.Percentile(0.5).ShouldBe(0.1, 0.002);
        step.Outputs!["y"].Bins.ShouldBe(new Dictionary<int, long> { [1] = 5 });
    }

    [Fact]
    public void GatesWaitForTheirMinimumAndNameWhatFailed()
    {
        var gates = new RolloutGates(MaxErrorRate: 0.1, MaxP99LatencyRatio: 2, MaxDriftScore: 0.2, MinRequests: 20);
        var failing = new RolloutFigures(19, 1, 5, 100, 1, 5, 1);
        RolloutJudge.Failure(gates, failing).ShouldBeNull("19 requests are fewer than the minimum");
        RolloutJudge.Failure(gates, failing with { TargetRequests = 20 })!.ShouldContain("error rate");
        RolloutJudge.Failure(gates, failing with { TargetRequests = 20, TargetErrorRate = 0 })!.ShouldContain("p99 latency");
        RolloutJudge.Failure(gates, failing with { TargetRequests = 20, TargetErrorRate = 0, P99LatencyRatio = null })!.ShouldContain("drift");
        RolloutJudge.Failure(gates, new RolloutFigures(20, 0.05, 1, 100, 1, 1.5, 0.1)).ShouldBeNull();
    }

    [Fact]
    public void ShadowOutputsAreComparedByValueAndArgmax()
    {
        var primary = new[] { TensorData.From<float>("y", [1f, 2f, 3f, 0f], 2, 2) };
        var shadow = new[] { TensorData.From<float>("y", [1.5f, 2f, 3f, 4f], 2, 2) };

        var difference = OutputComparer.Compare(primary, shadow)["y"];

        difference.Elements.ShouldBe(4);
        difference.MeanAbsDifference.ShouldBe(4.5 / 4, 1e-9);
        difference.MaxAbsDifference.ShouldBe(4);
        difference.Agreement.ShouldBe(0.5);
        OutputComparer.Compare(primary, [TensorData.From<float>("y", [1f, 2f], 1, 2)]).ShouldBeEmpty("shapes differ");
    }

    [Fact]
    public void BytesTensorsHaveNoNumericFeaturesAndAreSkippedWithoutFailing()
    {
        var text = TensorData.FromStrings("t", ["a", "", "🐟", "longer"], 2, 2);
        var numbers = TensorData.From<float>("x", [1f, 2f], 2, 1);

        OutputProfiler.Profile(text).ShouldBeNull();
        OutputComparer.Compare([text], [TensorData.FromStrings("t", ["b", "", "🐟", "longer"], 2, 2)]).ShouldBeEmpty();
        Cluster.Drift.DriftFeatures.Sample(text, 16).ShouldBeEmpty();

        var stats = new StatsCollector();
        stats.RecordOutputs([text, numbers]);
        stats.RecordInputs([text, numbers], rows: 2);
        var delta = stats.TakeDelta();

        delta.Outputs.ShouldNotBeNull().Keys.ShouldBe(["x"]);
        delta.Inputs.ShouldNotBeNull().Samples.Keys.ShouldBe(["x[0]"]);
    }

    private static OutputDistribution Distribution(params (int Bin, long Count)[] bins) =>
        new(true, bins.Sum(b => b.Count), bins.ToImmutableSortedDictionary(b => b.Bin, b => b.Count));

    private static StatsDelta Delta(long success, long failure, double seconds, params (int Bin, long Count)[] bins)
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < success; i++) recorder.Record(TimeSpan.FromSeconds(seconds));
        return StatsDelta.Empty with
        {
            Success = success,
            Failure = failure,
            Request = recorder.TakeSnapshot(),
            Outputs = ImmutableDictionary<string, OutputDistribution>.Empty.Add("y", Distribution(bins)),
        };
    }
}
