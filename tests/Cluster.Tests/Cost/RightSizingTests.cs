using System.Collections.Immutable;
using Cluster.Cost;
using Cluster.Models;
using Cluster.Statistics;
using Shouldly;

namespace Cluster.Tests.Cost;

/// <summary>Each kind of right-sizing advice, the figures it rests on and its saving per day, and when no advice is given.</summary>
public sealed class RightSizingTests
{
    private const double Day = 86_400;
    private static readonly CostOptions Options = Prices();

    private static CostOptions Prices()
    {
        var options = new CostOptions { UtilizationFloor = 0.2, TargetUtilization = 0.6, MinObservedSeconds = 600, MinRequestsToJudge = 20 };
        options.PricePerReplicaHour["cpu"] = 0.5;
        options.PricePerReplicaHour["cuda"] = 3;
        return options;
    }

    private static ModelVersionInfo Entry(int replicas, ModelConfig? config = null, VersionStatus status = VersionStatus.Ready) =>
        new("1", status, null, null, "CPUExecutionProvider", new VersionRegistration("1", "/m/1/model.onnx", "00", config ?? ModelConfig.Default), Replicas: replicas);

    private static VersionCost Cost(double replicaSeconds, double busySeconds, long requests, long rows = 0, long batches = 0, string device = DeviceClass.Cpu)
    {
        var figures = new UsageFigures(replicaSeconds, busySeconds, requests, rows == 0 ? requests : rows, batches == 0 ? requests : batches, 0);
        return CostCalculator.Of(new VersionUsage("m", "1", figures, [new SiloUsage("a", device, figures)]), 0, device, Options);
    }

    private static LatencyHistogram Histogram(long count, double seconds) =>
        new(ImmutableSortedDictionary<int, long>.Empty.Add(LatencyHistogram.BucketOf(seconds), count), count, count * seconds);

    private static VersionStatistics LastHour(long requests, double requestSeconds, double queueSeconds, double computeSeconds, long rows, long batches)
    {
        var hour = new StatsDelta(requests, 0, rows, batches, Histogram(requests, requestSeconds), Histogram(requests, queueSeconds), Histogram(batches, computeSeconds));
        return new VersionStatistics(hour, hour, hour, hour);
    }

    [Fact]
    public void ALoadedVersionWithoutRequestsIsUnusedAndScalingItToZeroSavesEveryReplicasDay()
    {
        var advice = RightSizing.Advise(Cost(replicaSeconds: 2 * 3600, 0, requests: 0), Entry(replicas: 2), null, Options).ShouldHaveSingleItem();

        (advice.Kind, advice.Setting, advice.Value).ShouldBe((RecommendationKinds.Unused, RecommendationSettings.Replicas, 0));
        advice.EstimatedSavingPerDay.ShouldBe(2 * 0.5 * 24, 1e-9);
        advice.Figures["requests"].ShouldBe(0);
        advice.Figures["replica_seconds"].ShouldBe(7200);
    }

    [Fact]
    public void AnUnderUtilizedVersionIsAdvisedTheFewestReplicasThatStayUnderTheTarget()
    {
        // Four replicas busy 10 %: the work of 0.4 replica, which one replica does at 40 %, under the 60 % target.
        var advice = RightSizing.Advise(Cost(4 * 3600, 0.1 * 4 * 3600, requests: 1000), Entry(replicas: 4), null, Options).ShouldHaveSingleItem();

        (advice.Kind, advice.Setting, advice.Value).ShouldBe((RecommendationKinds.UnderUtilized, RecommendationSettings.Replicas, 1));
        advice.EstimatedSavingPerDay.ShouldBe(3 * 0.5 * 24, 1e-9);
        advice.Figures["utilization"].ShouldBe(0.1, 1e-12);
        advice.Reason.ShouldContain("10.0 %");
    }

    [Fact]
    public void ASingleUnderUtilizedReplicaIsAdvisedToScaleToZeroWhileIdle()
    {
        var advice = RightSizing.Advise(Cost(3600, 180, requests: 50, device: DeviceClass.Cuda), Entry(replicas: 1), null, Options).ShouldHaveSingleItem();

        (advice.Kind, advice.Setting, advice.Value).ShouldBe((RecommendationKinds.UnderUtilized, RecommendationSettings.MinReplicas, 0));
        advice.EstimatedSavingPerDay.ShouldBe(0.95 * 3 * 24, 1e-9);
    }

    [Fact]
    public void RequestsThatWaitLongerThanTheyComputeAdviseMoreReplicasAtTheirCost()
    {
        var statistics = LastHour(requests: 600, requestSeconds: 0.05, queueSeconds: 0.03, computeSeconds: 0.01, rows: 600, batches: 600);

        var advice = RightSizing.Advise(Cost(2 * 3600, 0.9 * 2 * 3600, requests: 600), Entry(replicas: 2), statistics, Options).ShouldHaveSingleItem();

        (advice.Kind, advice.Setting).ShouldBe((RecommendationKinds.Overloaded, RecommendationSettings.Replicas));
        advice.Figures["queue_ms"].ShouldBe(30, 0.5);
        advice.Figures["compute_ms"].ShouldBe(10, 0.2);
        // (queue + compute) / compute ≈ 4 times the work two replicas keep up with: eight replicas, six more, each costing its day.
        advice.Value.ShouldBe(8);
        advice.EstimatedSavingPerDay.ShouldBe(-6 * 0.5 * 24, 1e-9);
    }

    [Fact]
    public void FullBatchesWithP95WellUnderTheTargetAdviseALargerBatch()
    {
        var config = ModelConfig.Default with { MaxBatchSize = 16, Batching = BatchingConfig.Off with { Enabled = true, LatencyTargetMs = 100 } };
        var statistics = LastHour(requests: 1600, requestSeconds: 0.02, queueSeconds: 0.001, computeSeconds: 0.015, rows: 1600, batches: 100);

        var advice = RightSizing.Advise(Cost(3600, 0.5 * 3600, requests: 1600, rows: 1600, batches: 100), Entry(replicas: 1, config), statistics, Options).ShouldHaveSingleItem();

        (advice.Kind, advice.Setting, advice.Value).ShouldBe((RecommendationKinds.BatchingHeadroom, RecommendationSettings.MaxBatchSize, 32));
        advice.Figures["p95_ms"].ShouldBe(20, 0.5);
        advice.Figures["rows_per_batch"].ShouldBe(16);
    }

    [Fact]
    public void BatchesThatDoNotFillTheCapOrAP95NearTheTargetGiveNoBatchingAdvice()
    {
        var config = ModelConfig.Default with { MaxBatchSize = 16, Batching = BatchingConfig.Off with { Enabled = true, LatencyTargetMs = 100 } };
        var halfFull = LastHour(requests: 800, requestSeconds: 0.02, queueSeconds: 0.001, computeSeconds: 0.015, rows: 800, batches: 100);
        var slow = LastHour(requests: 1600, requestSeconds: 0.08, queueSeconds: 0.001, computeSeconds: 0.015, rows: 1600, batches: 100);
        var cost = Cost(3600, 0.5 * 3600, requests: 1600);

        RightSizing.Advise(cost, Entry(1, config), halfFull, Options).ShouldBeEmpty();
        RightSizing.Advise(cost, Entry(1, config), slow, Options).ShouldBeEmpty();
    }

    [Fact]
    public void AWellUsedVersionAVersionSeenBrieflyAndOneNotServingGetNoAdvice()
    {
        var busy = LastHour(requests: 600, requestSeconds: 0.02, queueSeconds: 0.001, computeSeconds: 0.015, rows: 600, batches: 600);

        RightSizing.Advise(Cost(3600, 0.5 * 3600, requests: 600), Entry(1), busy, Options).ShouldBeEmpty();
        RightSizing.Advise(Cost(2 * 300, 0, requests: 0), Entry(2), null, Options).ShouldBeEmpty("each replica was loaded for less than MinObservedSeconds");
        RightSizing.Advise(Cost(3600, 0, requests: 0), Entry(0), null, Options).ShouldBeEmpty("scaled to zero already");
        RightSizing.Advise(Cost(3600, 0, requests: 0), Entry(1, status: VersionStatus.Unloaded), null, Options).ShouldBeEmpty();
    }
}
