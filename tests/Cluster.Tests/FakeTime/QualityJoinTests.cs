using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Repository;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Orleans.TestingHost;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// An in-process silo on a fake clock serving real ONNX Runtime sessions of exact models, for the ground-truth join: labels days
/// later, past retention, unknown, twice, or unreadable, and the statistics they make.
/// </summary>
public sealed class QualityJoinFixture : IAsyncLifetime
{
    private readonly TemporaryRepository _repository = new();

    public FakeClock Clock { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = InferenceTestCluster.CreateBuilder(1, (_, silo) => silo.UseFakeTime(Clock.Provider));
        builder.ConfigureHost(host => host.Configuration[$"{ModelRepositoryOptions.SectionName}:Repository"] = _repository.Root);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _repository.Dispose();
    }

    public async Task<string> Serve(byte[] onnx, QualityConfig? quality)
    {
        var model = FakeTimeClusterFixture.Unique("quality");
        var info = await Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "1")).Upload(onnx, ModelConfig.Default with { Quality = quality }, label: null);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        return model;
    }

    public Task<InferenceResponse> Infer(string model, string id, TensorData input, string? segment = null) =>
        Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(id, [input], [],
            Parameters: segment is null ? null : ImmutableDictionary<string, string>.Empty.Add("segment", segment)), null);

    public Task<GroundTruthResult> Submit(string model, params GroundTruthLabel[] labels) => Grains.GetGrain<IQualityGrain>(model).Submit([.. labels]);

    public async Task<VersionQuality> Quality(string model) => (await Grains.GetGrain<IQualityGrain>(model).GetReport(QualityReport.Total)).Versions.Single();
}

public sealed class QualityJoinTests(QualityJoinFixture fixture) : IClassFixture<QualityJoinFixture>
{
    private static readonly QualityConfig Animals = new(QualityTask.Classification, Classes: ["cat", "dog", "fish"]);

    private static TensorData Row(params float[] values) => TensorData.From<float>("input", values, 1, values.Length);

    [Fact]
    public async Task LabelsArrivingDaysLaterJoinOnceAndUnknownExpiredAndRepeatedIdsAreCounted()
    {
        // The identity model answers its input: these rows are the probabilities it "predicts".
        var model = await fixture.Serve(TestModels.Identity(TensorDataType.FP32), Animals);
        await fixture.Infer(model, "r1", Row(0.7f, 0.2f, 0.1f), "eu");   // cat, right
        await fixture.Infer(model, "r2", Row(0.1f, 0.8f, 0.1f), "eu");   // dog, truly cat
        await fixture.Infer(model, "r3", Row(0.2f, 0.3f, 0.5f), "us");   // fish, right
        await fixture.Infer(model, "r4", Row(0.6f, 0.3f, 0.1f), "eu");   // cat, truly dog
        await fixture.Infer(model, "r5", Row(0.3f, 0.3f, 0.4f));         // labelled too late

        await fixture.Clock.Advance(TimeSpan.FromHours(71));
        var result = await fixture.Submit(model,
            new("r1", ClassName: "cat"), new("r2", Class: 0), new("r3", ClassName: "fish"), new("r4", Class: 1),
            new("r1", ClassName: "dog"), new("never-served", Class: 2));
        var again = await fixture.Submit(model, new GroundTruthLabel("r2", Class: 1));
        await fixture.Clock.Advance(TimeSpan.FromHours(1));
        var expired = await fixture.Submit(model, new GroundTruthLabel("r5", Class: 2));

        result.ShouldBe(new GroundTruthResult(Received: 6, Matched: 4, Unknown: 1, Duplicates: 1));
        again.ShouldBe(new GroundTruthResult(1, 0, 0, 1), "the first label counts");
        expired.ShouldBe(new GroundTruthResult(1, 0, 1, 0), "72 hours is the default retention");
        var quality = await fixture.Quality(model);
        (quality.Version, quality.Task, quality.Labelled, quality.Accuracy).ShouldBe(("1", QualityTask.Classification, 4L, 0.5));
        quality.Confusion.ShouldBe([new(0, 0, 1), new(0, 1, 1), new(1, 0, 1), new(2, 2, 1)]);
        quality.Classes.Select(c => (c.Name, c.Support, c.Precision, c.Recall, c.F1)).ShouldBe([("cat", 2L, 0.5, 0.5, 0.5), ("dog", 1L, 0.0, 0.0, 0.0), ("fish", 1L, 1.0, 1.0, 1.0)]);
        // One prediction per bin: |1 − 0.7|, |0 − 0.8|, |1 − 0.5|, |0 − 0.6|, averaged.
        quality.ExpectedCalibrationError!.Value.ShouldBe((0.3 + 0.8 + 0.5 + 0.6) / 4, 1e-6);
        quality.Segments.Select(s => (s.Segment, s.Labelled)).ShouldBe([("eu", 3L), ("us", 1L)]);
        quality.Segments[0].Accuracy!.Value.ShouldBe(1.0 / 3, 1e-12);
        quality.Segments[1].Accuracy.ShouldBe(1.0);
    }

    [Fact]
    public async Task ALabelTheConfigCannotReadFailsTheWholeBatchBeforeAnythingIsJoined()
    {
        var model = await fixture.Serve(TestModels.Identity(TensorDataType.FP32), Animals);
        await fixture.Infer(model, "a", Row(0.7f, 0.2f, 0.1f));

        var badName = await Should.ThrowAsync<InvalidInferenceRequestException>(() => fixture.Submit(model, new("a", Class: 0), new("a", ClassName: "zebra")));
        var outOfRange = await Should.ThrowAsync<InvalidInferenceRequestException>(() => fixture.Submit(model, new GroundTruthLabel("a", Class: 3)));
        var value = await Should.ThrowAsync<InvalidInferenceRequestException>(() => fixture.Submit(model, new GroundTruthLabel("a", Value: 1)));
        var tooMany = await Should.ThrowAsync<InvalidInferenceRequestException>(() => fixture.Submit(model, [.. Enumerable.Range(0, 10_001).Select(i => new GroundTruthLabel($"x{i}", Class: 0))]));

        badName.Message.ShouldBe("labels[1]: class 'zebra' is not one of the model's classes (cat, dog, fish).");
        outOfRange.Message.ShouldContain("labels[0]: class 3 is out of range");
        value.Message.ShouldContain("takes a 'label'");
        tooMany.Message.ShouldContain("at most 10000");
        (await fixture.Submit(model, new GroundTruthLabel("a", Class: 0))).Matched.ShouldBe(1, "the refused batches claimed nothing");
    }

    [Fact]
    public async Task RegressionLabelsGiveMeanAbsoluteRootMeanSquaredAndMeanErrorAndEachRowOfABatchJoinsByItsRowId()
    {
        // y = 2x; the prediction is a row's first value.
        var model = await fixture.Serve(TestModels.Scale(2f), new QualityConfig(QualityTask.Regression));
        await fixture.Infer(model, "a", TensorData.From<float>("x", [1f, 0f], 1, 2));          // 2
        await fixture.Infer(model, "b", TensorData.From<float>("x", [-1f, 0f], 1, 2));         // -2
        await fixture.Infer(model, "m", TensorData.From<float>("x", [0.5f, 0f, 2f, 0f], 2, 2)); // 1 and 4

        var result = await fixture.Submit(model, new("a", Value: 1.5), new("b", Value: -1), new("m#0", Value: 1), new("m#1", Value: 5));

        result.Matched.ShouldBe(4);
        var quality = await fixture.Quality(model);
        // Errors (predicted − true): +0.5, −1, 0, −1.
        (quality.Task, quality.Labelled, quality.Accuracy).ShouldBe((QualityTask.Regression, 4L, null));
        quality.Mae!.Value.ShouldBe(2.5 / 4, 1e-12);
        quality.Rmse!.Value.ShouldBe(Math.Sqrt(2.25 / 4), 1e-12);
        quality.MeanError!.Value.ShouldBe(-1.5 / 4, 1e-12);

        // Windows count labels by when they arrived.
        var report = fixture.Grains.GetGrain<IQualityGrain>(model);
        (await report.GetReport("1m")).Versions.Single().Labelled.ShouldBe(4);
        await fixture.Clock.Advance(TimeSpan.FromMinutes(90));
        await fixture.Submit(model, new GroundTruthLabel("a", Value: 0));   // a duplicate: counts nowhere
        var (lastHour, total) = ((await report.GetReport("1h")).Versions.Single(), (await report.GetReport("total")).Versions.Single());
        (lastHour.Labelled, lastHour.Mae, total.Labelled).ShouldBe((0L, null, 4L));
        await Should.ThrowAsync<InvalidInferenceRequestException>(() => report.GetReport("2h"));
    }

    [Fact]
    public async Task AccuracyBelowTheMinimumRaisesAnAlertOnTheDriftPathAndClimbingBackClearsIt()
    {
        var model = FakeTimeClusterFixture.Unique("quality");
        var config = ModelConfig.Default with { Quality = new QualityConfig(QualityTask.Classification), Monitoring = new MonitoringConfig(MinAccuracy: 0.9) };
        var info = await fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "1")).Upload(TestModels.Identity(TensorDataType.FP32), config, label: null);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        // Two requests of 50 rows, each row predicting class 0: ids a#0..a#49 and b#0..b#49.
        var rows = Enumerable.Repeat(new[] { 0.8f, 0.1f, 0.1f }, 50).SelectMany(r => r).ToArray();
        await fixture.Infer(model, "a", TensorData.From<float>("input", rows, 50, 3));
        await fixture.Infer(model, "b", TensorData.From<float>("input", rows, 50, 3));
        var stats = fixture.Grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, "1"));

        // 20 labels, 15 right: accuracy 0.75 < 0.9.
        await fixture.Submit(model, [.. Enumerable.Range(0, 20).Select(i => new GroundTruthLabel($"a#{i}", Class: i < 15 ? 0 : 1))]);
        var raised = (await stats.GetAlerts()).Single();
        // 80 more, all right: 95 of 100, above the minimum and past the 80 % hysteresis (misclassification 0.05 < 0.08).
        await fixture.Submit(model, [.. Enumerable.Range(20, 30).Select(i => new GroundTruthLabel($"a#{i}", Class: 0)).Concat(Enumerable.Range(0, 50).Select(i => new GroundTruthLabel($"b#{i}", Class: 0)))]);
        var cleared = (await stats.GetAlerts()).Single();

        (raised.Kind, raised.IsActive).ShouldBe(("misclassification_rate", true));
        raised.Value.ShouldBe(0.25, 1e-12);
        raised.Threshold.ShouldBe(0.1, 1e-12);
        cleared.IsActive.ShouldBeFalse();
        cleared.Value.ShouldBe(0.05, 1e-12);
    }

    [Fact]
    public async Task AModelWithoutAQualityConfigKeepsNothingAndRefusesLabels()
    {
        var model = await fixture.Serve(TestModels.Scale(2f), quality: null);
        var response = await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f, 0f], 1, 2)], []), null);

        response.Id.ShouldBeNull("no id is made up for a model nobody labels");
        await Should.ThrowAsync<ConflictException>(() => fixture.Submit(model, new GroundTruthLabel("a", Value: 1)));
        (await fixture.Grains.GetGrain<IQualityGrain>(model).GetReport(QualityReport.Total)).Versions.ShouldBeEmpty();
    }
}
