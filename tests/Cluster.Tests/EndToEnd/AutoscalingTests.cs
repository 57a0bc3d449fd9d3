using System.Net;
using Cluster.Models;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class AutoscalingTests(ServingFixture serving)
{
    // May scale to zero, but idle for 5 minutes first: the test scales it to zero itself and decides when the cold start happens.
    private static readonly AutoscalingConfig ToZero = new(MinReplicas: 0, MaxReplicas: 3, TargetQueuePerReplica: 2, UpscaleDelaySeconds: 1, DownscaleDelaySeconds: 2, IdleSecondsBeforeZero: 300);

    private async Task<string> Upload(byte[] onnx, AutoscalingConfig? autoscaling)
    {
        var model = $"as-{Guid.NewGuid():N}"[..12];
        var config = ModelConfig.Default with { MaxBatchSize = 8, Autoscaling = autoscaling };
        (await serving.Client.UploadVersionAsync(model, "1", onnx, config: config)).Status.ShouldBe(VersionStatus.Ready);
        return model;
    }

    private async Task<float[]> Infer(string model, float[] x)
    {
        var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], x) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return Floats(body.GetProperty("outputs")[0]);
    }

    // Scaling on load and to zero on idleness is shown on a fake clock (FakeTime/AutoscalerTests, ColdStartTests); here, what an operator sees of it.
    [Fact]
    public async Task AColdStartIsReportedByTheAutoscalerStatusAndTheMetrics()
    {
        var model = await Upload(TestModels.Scale(2f), ToZero);
        (await serving.Client.GetModelAsync(model)).Versions[0].Replicas.ShouldBe(1, "a version starts with one replica even when it may scale to zero");

        // Before any request, so no load is reported that would bring a replica back on the autoscaler's own tick.
        (await serving.Client.ScaleVersionAsync(model, "1", 0)).Replicas.ShouldBe(0);
        var version = (await serving.Client.GetModelAsync(model)).Versions[0];
        version.Status.ShouldBe(VersionStatus.Ready, "a version scaled to zero still serves");
        version.Reason.ShouldNotBeNull().ShouldContain("scaled to zero");

        (await Infer(model, [3f, -1f])).ShouldBe([6f, -2f], "the first request after scale-to-zero waits for a cold start instead of failing");

        var cold = await serving.Client.GetAutoscalerAsync(model, "1");
        cold.ColdStarts.ShouldBe(1);
        cold.LastColdStartMs.ShouldBeGreaterThan(0);
        cold.Replicas.ShouldBe(1);
        cold.Decisions.Select(d => (d.From, d.To)).ShouldBe([(0, 1)]);
        var lines = await MetricLines();
        lines.ShouldContain(l => l.StartsWith("cluster_replicas_cold_start_duration_seconds_count{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"") && l.EndsWith(" 1"));
        lines.ShouldContain(l => l.StartsWith("cluster_replicas_scale_changes_total{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"") && l.Contains("direction=\"up\""), "the cold start is a scale change up");
    }

    [Fact]
    public async Task OperatorsChangeReplicaCountsWithoutAReload()
    {
        var model = await Upload(TestModels.Scale(2f), autoscaling: null);

        var (status, body) = await Post(serving.Http, $"/api/models/{model}/versions/1/scale", new { replicas = 3 });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("replicas_serving").GetInt32().ShouldBe(3);
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Infer(model, [i, 1f])));
        results.Select(r => r[0]).ShouldBe(Enumerable.Range(0, 30).Select(i => 2f * i));

        (await serving.Client.ScaleVersionAsync(model, "1", 1)).Replicas.ShouldBe(1);
        (await Infer(model, [1f, 1f])).ShouldBe([2f, 2f]);
        (await serving.Client.ScaleVersionAsync(model, "1", 0)).Replicas.ShouldBe(0);
        (await Infer(model, [4f, 1f])).ShouldBe([8f, 2f], "a version without autoscaling that was scaled to zero also comes back on demand");
        (await serving.Client.GetModelAsync(model)).Versions[0].Replicas.ShouldBe(1);

        var (bad, error) = await Post(serving.Http, $"/api/models/{model}/versions/1/scale", new { replicas = 65 });
        bad.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("between 0 and 64");
        (await Post(serving.Http, $"/api/models/{model}/versions/7/scale", new { replicas = 1 })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await PostRaw(serving.Http, $"/api/models/{model}/versions/1/scale", "{\"replicas\": \"two\"}")).Status.ShouldBe(HttpStatusCode.BadRequest);

        var (_, audit) = await Get(serving.Http, $"/api/audit?model={model}");
        var scales = audit.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("action").GetString() == "version.scale").ToArray();
        scales.Length.ShouldBe(4, "3, 1, 0 by operators and 1 by the cold start");
        scales.ShouldContain(r => r.GetProperty("actor").GetString() == "autoscaler");
    }

    private async Task<string[]> MetricLines()
    {
        using var response = await serving.Http.GetAsync("/metrics");
        return (await response.Content.ReadAsStringAsync()).Split('\n');
    }
}
