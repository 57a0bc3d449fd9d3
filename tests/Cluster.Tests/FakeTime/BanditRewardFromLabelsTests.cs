using System.Collections.Immutable;
using Cluster.Bandits;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Modeling;
using Cluster.Quality;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// A model with a bandit and a quality config learns from ground truth: each label that matches a prediction the bandit routed is
/// its reward (1 right, 0 wrong), with no second call; through real routers, ONNX Runtime sessions and grains on the fake clock.
/// </summary>
public sealed class BanditRewardFromLabelsTests(QualityJoinFixture fixture) : IClassFixture<QualityJoinFixture>
{
    private static readonly QualityConfig Classes = new(QualityTask.Classification);
    private static readonly TensorData Row = TensorData.From<float>("input", [0.1f, 0.2f, 0.7f], 1, 3);

    /// <summary>Its argmax is the input's argmin, so on rows labelled with their largest value it is always wrong.</summary>
    private static byte[] Negation() => new OnnxGraphBuilder("negation")
        .Input("input", TensorDataType.FP32, -1, 3)
        .Output("output", TensorDataType.FP32, -1, 3)
        .Node("Neg", ["input"], ["output"])
        .ToBytes();

    private IRouterGrain Router(string model) => fixture.Grains.GetGrain<IRouterGrain>(model);

    /// <summary>
    /// Serves <paramref name="count"/> requests through the split, waits for the router to report their arms (a probe request's
    /// feedback completes once its assignment arrived, and all of a round's arrive together), then labels them all class 2.
    /// </summary>
    private async Task<Dictionary<string, int>> Round(string model, string name, int count)
    {
        var served = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<GroundTruthLabel>();
        for (var i = 0; i < count; i++)
        {
            var response = await Router(model).Infer(new InferenceRequest($"{name}-{i}", [Row], []), null);
            served[response.ModelVersion] = served.GetValueOrDefault(response.ModelVersion) + 1;
            labels.Add(new GroundTruthLabel($"{name}-{i}", Class: 2));
        }
        var probe = await Router(model).Infer(new InferenceRequest($"{name}-probe", [Row], []), null);
        served[probe.ModelVersion] = served.GetValueOrDefault(probe.ModelVersion) + 1;
        // The probe's reward follows the same rule the labels give: 1 for version 1, which is right.
        var arrived = fixture.Grains.GetGrain<IBanditGrain>(model).Feedback($"{name}-probe", probe.ModelVersion == "1" ? 1 : 0);
        await fixture.Clock.AdvanceUntil(() => Task.FromResult(arrived.IsCompleted), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), "the router's report of its assignments");
        (await arrived).ShouldBeTrue("the router reported the round's assignments");

        (await fixture.Submit(model, [.. labels])).Matched.ShouldBe(count);
        return served;
    }

    [Fact]
    public async Task LabelsOfPredictionsTheBanditRoutedAreItsRewardsRoundAfterRound()
    {
        var model = await fixture.Serve(TestModels.Identity(TensorDataType.FP32), Classes);
        (await fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "2")).Upload(Negation(), ModelConfig.Default with { Quality = Classes }, label: null))
            .Status.ShouldBe(VersionStatus.Ready);
        await fixture.Grains.GetGrain<IModelGrain>(model).SetTraffic(new TrafficPolicy(
            ImmutableDictionary<string, double>.Empty.Add("1", 50).Add("2", 50), Sticky: false, Bandit: new BanditSettings(0.5)));
        // A request that names its version is no draw of the bandit: its label counts for quality only.
        await Router(model).Infer(new InferenceRequest("named", [Row], []), "2");
        (await fixture.Submit(model, new GroundTruthLabel("named", Class: 2))).Matched.ShouldBe(1);

        var first = await Round(model, "a", 20);
        // A second round after the first's rewards: the bandit still takes the router's reports of new assignments.
        var second = await Round(model, "b", 20);

        var status = await fixture.Grains.GetGrain<IBanditGrain>(model).GetStatus();
        (status.Matched, status.Unmatched).ShouldBe((42L, 0L), "40 labels and 2 probes; the named request's label neither counts nor waits");
        var right = status.Arms.Single(a => a.Version == "1");
        var wrong = status.Arms.Single(a => a.Version == "2");
        right.Rewards.ShouldBe(first.GetValueOrDefault("1") + second.GetValueOrDefault("1"));
        (right.RewardSum, wrong.RewardSum).ShouldBe(((double)right.Rewards, 0.0), "identity is right on every row, negation wrong on every one");
        wrong.Rewards.ShouldBe(first.GetValueOrDefault("2") + second.GetValueOrDefault("2"));
        right.Probability.ShouldBeGreaterThan(wrong.Probability);
    }
}
