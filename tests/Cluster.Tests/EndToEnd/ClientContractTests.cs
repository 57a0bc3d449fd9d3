using Cluster.Client;
using Cluster.Errors;
using Cluster.Modeling;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// What the .NET client promises, asserted the same way in both of its modes: joined to the cluster
/// as an Orleans client, and from outside through the HTTP gateway (gRPC inference, HTTP management).
/// </summary>
public abstract class ClientContractTests(ServingFixture serving, InferenceClient client, string mode)
{
    [Fact]
    public async Task ClientInferenceOnTheDemoModelEqualsDirectOnnxRuntime()
    {
        float[] x = [0.1f, 0.2f, 0.3f, 0.4f, -5, 4, -3, 2];

        var response = await client.InferAsync(DemoMlp.Name, [TensorData.From<float>("x", x, 2, 4)], id: "c-1");

        response.Id.ShouldBe("c-1");
        response.ModelVersion.ShouldBe("1");
        var direct = DirectOnnx.RunFloat(serving.DemoPath, "x", x, [2, 4]);
        DirectOnnx.MaxAbsDiff(direct["logits"], response.Output("logits").ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
        DirectOnnx.MaxAbsDiff(direct["probabilities"], response.Output("probabilities").ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
        response.Output("probabilities").Shape.ShouldBe([2L, 3L]);
    }

    [Fact]
    public async Task ClientInferenceOnThePaddleOcrClassifierEqualsDirectOnnxRuntime()
    {
        const int rows = 3;
        var x = PaddleOcrClassifier.SampleInput(rows, seed: 11);
        long[] shape = [rows, PaddleOcrClassifier.Channels, PaddleOcrClassifier.Height, PaddleOcrClassifier.Width];

        var response = await client.InferAsync("paddle-cls", [TensorData.From<float>("x", x, shape)]);

        var direct = DirectOnnx.RunFloat(serving.PaddlePath, "x", x, shape).Values.Single();
        DirectOnnx.MaxAbsDiff(direct, response.Outputs[0].ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
    }

    [Fact]
    public async Task ClientListsModelsAndDescribesOne()
    {
        var models = await client.ListModelsAsync();
        var demo = await client.GetModelAsync(DemoMlp.Name);

        models.ShouldContain(DemoMlp.Name);
        models.ShouldContain("paddle-cls");
        models.ShouldBe(models.Order(StringComparer.Ordinal));
        demo.DefaultVersion.ShouldBe("1");
        var version = demo.Versions.Single();
        version.Status.ShouldBe(VersionStatus.Ready);
        version.Signature!.Inputs.Single().Shape.ShouldBe([-1L, 4L]);
        version.Signature.Outputs.Select(o => o.Name).ShouldBe(["logits", "probabilities"]);
    }

    [Fact]
    public async Task ClientErrorsAreTyped()
    {
        var good = TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4);

        await Should.ThrowAsync<ModelNotFoundException>(() => client.InferAsync("no-such-model", [good]));
        await Should.ThrowAsync<ModelNotFoundException>(() => client.InferAsync(DemoMlp.Name, [good], version: "42"));
        await Should.ThrowAsync<ModelNotFoundException>(() => client.GetModelAsync("no-such-model"));
        var invalid = await Should.ThrowAsync<InvalidInferenceRequestException>(
            () => client.InferAsync(DemoMlp.Name, [TensorData.From<float>("x", [1f, 2, 3], 1, 3)]));
        invalid.Message.ShouldContain("[1,3]");
        await Should.ThrowAsync<ModelNotReadyException>(() => client.InferAsync("broken", [good]));
        (await client.InferAsync(DemoMlp.Name, [good])).Outputs.Length.ShouldBe(2);
    }

    [Fact]
    public async Task ClientManagesVersionsLabelsAndTrafficFromUploadToDelete()
    {
        var model = $"client-{mode}";
        var good = TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4);

        var first = await client.UploadVersionAsync(model, "1", DemoMlp.Build(), label: "stable");
        first.Status.ShouldBe(VersionStatus.Ready);
        first.Signature!.Inputs.Single().Name.ShouldBe("x");
        (await client.UploadVersionAsync(model, "2", DemoMlp.Build())).Status.ShouldBe(VersionStatus.Ready);
        (await client.InferAsync(model, [good], version: "stable")).ModelVersion.ShouldBe("1");

        var relabelled = await client.SetLabelAsync(model, "stable", "2");
        relabelled.Labels!["stable"].ShouldBe("2");
        await ServedBy(model, "stable", "2");

        var split = await client.SetTrafficAsync(model, new Dictionary<string, double> { ["1"] = 0, ["2"] = 100 });
        split.Traffic!.Weights["2"].ShouldBe(100);
        await ServedBy(model, null, "2");
        await Should.ThrowAsync<ConflictException>(() => client.DeleteVersionAsync(model, "2"));

        (await client.UnloadVersionAsync(model, "1")).Status.ShouldBe(VersionStatus.Unloaded);
        await Should.ThrowAsync<ModelNotReadyException>(() => client.InferAsync(model, [good], version: "1"));
        (await client.LoadVersionAsync(model, "1")).Status.ShouldBe(VersionStatus.Ready);
        (await client.ScaleVersionAsync(model, "1", 2)).Replicas.ShouldBe(2);

        await client.DeleteVersionAsync(model, "2", force: true);
        var left = await client.GetModelAsync(model);
        left.Versions.Select(v => v.Version).ShouldBe(["1"]);
        await ServedBy(model, null, "1");
    }

    [Fact]
    public async Task ClientSendsGroundTruthAndExportsCapturedPredictions()
    {
        var model = $"client-labelled-{mode}";
        await client.UploadVersionAsync(model, "1", TestModels.Identity(TensorDataType.FP32));
        var (status, body) = await HttpJson.PutRaw(serving.Http, $"/api/models/{model}/config",
            """{"max_batch_size": 8, "capture": {"fraction": 1.0}, "quality": {"task": "classification", "classes": ["cat", "dog", "fish"]}}""");
        status.ShouldBe(System.Net.HttpStatusCode.OK, body.ToString());
        await Poll.Until(async () => (await HttpJson.Get(serving.Http, $"/v2/models/{model}/ready")).Status == System.Net.HttpStatusCode.OK);

        await client.InferAsync(model, [TensorData.From<float>("input", [0.1f, 0.8f, 0.1f], 1, 3)], id: "lab-1");
        await client.InferAsync(model, [TensorData.From<float>("input", [0.9f, 0.05f, 0.05f], 1, 3)], id: "lab-2");
        var result = await client.SendGroundTruthAsync(model, [new("lab-1", ClassName: "dog"), new("lab-2", Class: 2), new("nobody", Class: 0)]);

        result.ShouldBe(new Quality.GroundTruthResult(Received: 3, Matched: 2, Unknown: 1, Duplicates: 0));
        var records = await Poll.For(async () =>
        {
            var exported = new List<System.Text.Json.JsonElement>();
            await foreach (var record in client.ExportCapturesAsync(model)) exported.Add(record);
            return exported;
        }, r => r.Count >= 2);
        records.Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ShouldBe(["lab-1", "lab-2"]);
        records.ShouldAllBe(r => r.GetProperty("version").GetString() == "1");
        var quality = await Poll.For(() => client.GetQualityAsync(model), q => q.Versions.Sum(v => v.Labelled) >= 2);
        var version = quality.Versions.Single();
        (version.Version, version.Task, version.Labelled, version.Accuracy).ShouldBe(("1", Models.QualityTask.Classification, 2L, 0.5));
        version.Confusion.ShouldContain(new Quality.ConfusionCell(2, 0, 1));
        version.Classes.Single(c => c.Class == 1).Name.ShouldBe("dog");
    }

    [Fact]
    public async Task ClientReadsTheBanditAndAShadowsComparison()
    {
        var model = $"client-arms-{mode}";
        var x = TensorData.From<float>("x", [1f, 2f], 1, 2);
        await client.UploadVersionAsync(model, "1", TestModels.Scale(2f));
        await client.UploadVersionAsync(model, "2", TestModels.Scale(2.5f));
        await client.UploadVersionAsync(model, "3", TestModels.Scale(2f));
        (await client.GetBanditAsync(model)).Arms.ShouldBeEmpty();

        await client.SetTrafficAsync(model, new Dictionary<string, double> { ["1"] = 50, ["2"] = 50 }, shadows: [new Models.ShadowTarget("3", 1.0)], bandit: new Bandits.BanditSettings(0.2));

        // The bandit learns its arms from the requests its router sends it.
        var bandit = await Poll.For(async () =>
        {
            await client.InferAsync(model, [x]);
            return await client.GetBanditAsync(model);
        }, b => b.Arms.Length == 2);
        bandit.Arms.Select(a => a.Version).Order(StringComparer.Ordinal).ShouldBe(["1", "2"]);
        bandit.Arms.Sum(a => a.Probability).ShouldBe(1.0, 1e-9);
        var comparison = await Poll.For(async () =>
        {
            await client.InferAsync(model, [x]);
            return await client.GetShadowComparisonAsync(model, "3");
        }, c => c.Mirrored >= 2);
        comparison.Latency.Count.ShouldBeGreaterThanOrEqualTo(2);
        comparison.Outputs.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task ClientRunsARolloutThroughItsStates()
    {
        var model = $"client-rollout-{mode}";
        await client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await client.UploadVersionAsync(model, "2", TestModels.Scale(2f));
        (await client.GetRolloutAsync(model)).ShouldBeNull();
        var plan = new Rollouts.RolloutPlan("2", "1", [new(10, TimeSpan.FromHours(1)), new(50, TimeSpan.FromHours(1))], new Rollouts.RolloutGates(0.05, null, null, 0));

        var started = await client.StartRolloutAsync(model, plan);

        started.Phase.ShouldBe(Rollouts.RolloutPhase.Running);
        (started.TargetVersion, started.BaselineVersion, started.Step, started.CurrentWeight).ShouldBe(("2", "1", 0, 10.0));
        started.Plan.Steps.Select(s => (s.Weight, s.Duration)).ShouldBe([(10.0, TimeSpan.FromHours(1)), (50.0, TimeSpan.FromHours(1))]);
        started.Plan.Gates.MaxErrorRate.ShouldBe(0.05);
        await Should.ThrowAsync<ConflictException>(() => client.StartRolloutAsync(model, plan));
        (await client.PauseRolloutAsync(model)).Phase.ShouldBe(Rollouts.RolloutPhase.Paused);
        (await client.ResumeRolloutAsync(model)).Phase.ShouldBe(Rollouts.RolloutPhase.Running);
        var aborted = await client.AbortRolloutAsync(model);
        aborted.Phase.ShouldBe(Rollouts.RolloutPhase.Aborted);
        aborted.Id.ShouldBe(started.Id);
        aborted.History.Select(t => t.Event).ShouldContain("paused");
        (await client.GetRolloutAsync(model))!.Phase.ShouldBe(Rollouts.RolloutPhase.Aborted);
    }

    [Fact]
    public async Task ClientSetsAModelsConfigAndReadsItsStatistics()
    {
        var model = $"client-config-{mode}";
        var x = TensorData.From<float>("x", [1f, 2f], 1, 2);
        await client.UploadVersionAsync(model, "1", TestModels.Scale(2f));
        var config = Models.ModelConfig.Default with
        {
            MaxBatchSize = 16,
            Batching = new Models.BatchingConfig(true, 1000, [4, 8], 64, 0, 0),
            Autoscaling = new Models.AutoscalingConfig(1, 3, 2, 5, 60, 600),
            Capture = new Models.CaptureConfig(0.5, Inputs: false),
        };

        var updated = await client.SetConfigAsync(model, config);

        var applied = updated.Versions.Single().Registration.Config;
        (applied.MaxBatchSize, applied.Batching.Enabled, applied.Autoscaling!.MaxReplicas, applied.Capture!.Fraction, applied.Capture.Inputs).ShouldBe((16, true, 3, 0.5, false));
        await Poll.Until(async () => (await client.GetModelAsync(model)).Versions.Single().Status == VersionStatus.Ready);
        for (var i = 0; i < 3; i++) await client.InferAsync(model, [x]);
        await Should.ThrowAsync<InvalidInferenceRequestException>(() => client.InferAsync(model, [TensorData.From<float>("x", [1f, 2f, 3f], 1, 3)]));

        var statistics = await Poll.For(() => client.GetStatisticsAsync(model), s => s.Total.Requests >= 3);
        statistics.Total.Success.ShouldBe(3);
        statistics.Total.Request.Count.ShouldBe(statistics.Total.Requests);
        statistics.Total.Compute.Percentile(0.5).ShouldBeGreaterThan(0);
        statistics.LastMinute.Success.ShouldBe(3);
        (await client.GetArmStatisticsAsync(model)).Keys.ShouldBe(["1"]);
        await Should.ThrowAsync<ModelNotFoundException>(() => client.GetStatisticsAsync(model, "9"));
        var autoscaler = await client.GetAutoscalerAsync(model, "1");
        (autoscaler.Settings!.MinReplicas, autoscaler.Settings.MaxReplicas, autoscaler.Replicas).ShouldBe((1, 3, 1));
        var batching = await client.GetBatchingStatsAsync(model);
        batching.Mode.ShouldBe("fixed");
        batching.QueueDelay.ShouldBe(TimeSpan.FromMilliseconds(1));
        batching.Requests.ShouldBeGreaterThanOrEqualTo(3);
    }

    /// <summary>Routers pick up label and traffic changes within half a second (their refresh), not at once.</summary>
    private async Task ServedBy(string model, string? version, string expected)
    {
        var good = TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4);
        var served = await Poll.For(async () => (await client.InferAsync(model, [good], version: version)).ModelVersion, v => v == expected);
        served.ShouldBe(expected);
    }

    [Fact]
    public async Task ClientReportsCostPerVersionAndRefusesAdviceTheFiguresDoNotGive()
    {
        var report = await client.GetCostAsync("1h");

        report.Window.ShouldBe("1h");
        var demo = report.Versions.Single(v => v.Model == DemoMlp.Name);
        (demo.Version, demo.Device, demo.Replicas).ShouldBe(("1", "cpu", 1));
        demo.EstimatedCost.ShouldBe(0, "the serving fixture configures no prices");
        report.Versions.Single(v => v.Model == "broken").Replicas.ShouldBe(0);
        // A version that does not serve gets no advice, so there is none to apply.
        await Should.ThrowAsync<ConflictException>(() => client.ApplyCostRecommendationAsync("broken", "1", global::Cluster.Cost.RecommendationKinds.Unused, "1h"));
        await Should.ThrowAsync<InvalidInferenceRequestException>(() => client.GetCostAsync("2d"));
    }

    [Fact]
    public async Task ClientRefusesAnUnloadableUploadAndRegistersNothing()
    {
        var model = $"client-corrupt-{mode}";

        var refused = await Should.ThrowAsync<InvalidInferenceRequestException>(() => client.UploadVersionAsync(model, "1", TestModels.Corrupt()));

        refused.Message.ShouldNotBeNullOrWhiteSpace();
        await Should.ThrowAsync<ModelNotFoundException>(() => client.GetModelAsync(model));
    }

    [Fact]
    public async Task ClientSelectsOutputsAndCarriesStringsAndRequestIds()
    {
        string[] texts = ["héllo", "", "wörld", "a\u0000b"];

        var response = await client.InferAsync("strings", [TensorData.FromStrings("text", texts, 2, 2)], outputs: ["echo"], id: "s-1");

        response.Id.ShouldBe("s-1");
        response.Outputs.Select(o => o.Name).ShouldBe(["echo"]);
        response.Output("echo").Shape.ShouldBe([2L, 2L]);
        response.Output("echo").ToStrings().ShouldBe(texts);
    }
}

public sealed class InClusterClientTests(ServingFixture serving) : ClientContractTests(serving, serving.Client, "in-cluster");

public sealed class GatewayClientTests(ServingFixture serving) : ClientContractTests(serving, serving.RemoteClient, "gateway");
