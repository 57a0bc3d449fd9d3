using Cluster.Grains;
using Cluster.Models;
using Cluster.Modeling;
using Cluster.Quality;
using Cluster.Rollouts;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// The accuracy gate through real grains and ONNX Runtime sessions on the fake clock: a rollout waits for labels on
/// both arms past its step's time, then rolls back a canary whose labelled predictions are worse beyond the interval.
/// </summary>
public sealed class RolloutQualityTests(QualityJoinFixture fixture) : IClassFixture<QualityJoinFixture>
{
    private static readonly QualityConfig Classes = new(QualityTask.Classification);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>input [-1,3] → Neg → output: its argmax is the input's argmin, so it gets labels that are the input's argmax wrong.</summary>
    private static byte[] Negation() => new OnnxGraphBuilder("negation")
        .Input("input", TensorDataType.FP32, -1, 3)
        .Output("output", TensorDataType.FP32, -1, 3)
        .Node("Neg", ["input"], ["output"])
        .ToBytes();

    private IRolloutGrain Rollout(string model) => fixture.Grains.GetGrain<IRolloutGrain>(model);

    [Fact]
    public async Task ACanaryWrongOnItsLabelsIsRolledBackOnceBothArmsHaveEnough()
    {
        var model = await fixture.Serve(TestModels.Identity(TensorDataType.FP32), Classes);
        var canary = await fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "2")).Upload(Negation(), ModelConfig.Default with { Quality = Classes }, label: null);
        canary.Status.ShouldBe(VersionStatus.Ready, canary.Reason);
        var plan = new RolloutPlan("2", "1", [new RolloutStep(50, TimeSpan.FromSeconds(5))], new RolloutGates(null, null, null, 0, MinAccuracyDelta: -0.02, MinLabels: 20));
        await Rollout(model).Start(plan);

        // Rows whose true class is their largest value: version 1 (identity) is right on each, version 2 (negation) wrong.
        var labels = new List<GroundTruthLabel>();
        for (var i = 0; i < 20; i++)
        {
            var row = TensorData.From<float>("input", [0.1f, 0.2f, 0.7f], 1, 3);
            foreach (var version in new[] { "1", "2" })
            {
                var response = await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new Inference.InferenceRequest($"{version}-{i}", [row], []), version);
                response.ModelVersion.ShouldBe(version);
                labels.Add(new GroundTruthLabel($"{version}-{i}", Class: 2));
            }
        }
        await fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        var waiting = (await Rollout(model).GetCurrent())!;
        waiting.Phase.ShouldBe(RolloutPhase.Running, "past the step's time, but no labels yet: the gate waits rather than promote");
        waiting.Figures!.TargetQuality.ShouldBe(new ArmQuality(0, null, null));

        (await fixture.Submit(model, [.. labels])).Matched.ShouldBe(40);
        await fixture.Clock.AdvanceUntil(async () => (await Rollout(model).GetCurrent())!.Phase != RolloutPhase.Running, Tick, TimeSpan.FromSeconds(10), "the accuracy gate");

        var done = (await Rollout(model).GetCurrent())!;
        done.Phase.ShouldBe(RolloutPhase.RolledBack);
        var figures = done.History[^1].Figures!;
        figures.TargetQuality.ShouldBe(new ArmQuality(20, 0.0, null));
        figures.BaselineQuality.ShouldBe(new ArmQuality(20, 1.0, null));
        (figures.QualityDifference!.Difference, figures.QualityDifference.Low, figures.QualityDifference.High).ShouldBe((-1.0, -1.0, -1.0), "no spread when every label is right or wrong");
        done.History[^1].Reason.ShouldContain("below the gate of -0.020");
        (await fixture.Grains.GetGrain<IModelGrain>(model).GetInfo()).Traffic!.Weights.ShouldBe(new Dictionary<string, double> { ["1"] = 100 });
    }

    [Fact]
    public async Task AnAccuracyGateOnAModelWithoutAQualityConfigIsRefused()
    {
        var model = await fixture.Serve(TestModels.Identity(TensorDataType.FP32), quality: null);
        await fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "2")).Upload(Negation(), ModelConfig.Default, label: null);
        var plan = new RolloutPlan("2", "1", [new RolloutStep(50, TimeSpan.FromSeconds(5))], new RolloutGates(null, null, null, 0, MinAccuracyDelta: -0.02));

        var refused = await Should.ThrowAsync<Errors.InvalidInferenceRequestException>(() => Rollout(model).Start(plan));

        refused.Message.ShouldContain("min_accuracy_delta");
        (await Rollout(model).GetCurrent()).ShouldBeNull();
    }
}
