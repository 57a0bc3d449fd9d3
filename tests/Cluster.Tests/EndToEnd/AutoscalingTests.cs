using System.Diagnostics;
using System.Net;
using Cluster.Models;
using Cluster.Scaling;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class AutoscalingTests(ServingFixture serving)
{
    private static readonly AutoscalingConfig Fast = new(MinReplicas: 0, MaxReplicas: 3, TargetQueuePerReplica: 2, UpscaleDelaySeconds: 1, DownscaleDelaySeconds: 2, IdleSecondsBeforeZero: 3);

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

    private async Task<AutoscalerStatus> WaitFor(string model, Func<AutoscalerStatus, bool> done, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await serving.Client.GetAutoscalerAsync(model, "1");
            if (done(status)) return status;
            if (clock.Elapsed > within) throw new TimeoutException($"{what} did not happen within {within.TotalSeconds} s: replicas {status.Replicas}, load {status.Load:F1}, decisions {string.Join("; ", status.Decisions.Select(d => $"{d.From}→{d.To} {d.Reason}"))}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task LoadScalesUpIdleScalesToZeroAndTheNextRequestWaitsForAColdStart()
    {
        var model = await Upload(TestModels.SlowScale(2f, layers: 12), Fast);
        (await serving.Client.GetModelAsync(model)).Versions[0].Replicas.ShouldBe(1, "a version starts with one replica even when it may scale to zero");

        using var stop = new CancellationTokenSource();
        var served = 0;
        var load = Enumerable.Range(0, 12).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                (await Infer(model, [1f, 2f])).ShouldBe([2f, 4f]);
                Interlocked.Increment(ref served);
            }
        }).ToArray();
        var loaded = await WaitFor(model, s => s.Replicas == 3, TimeSpan.FromSeconds(30), "scaling up to 3 replicas under 12 concurrent callers");
        stop.Cancel();
        await Task.WhenAll(load);

        loaded.Decisions.ShouldAllBe(d => d.To > d.From, "while the load lasted the autoscaler only added replicas");
        loaded.Decisions.ShouldAllBe(d => d.Load > 2, "every decision was driven by measured load above the target");
        (await serving.Client.GetModelAsync(model)).Versions[0].ReplicaSilos.Length.ShouldBe(3);
        served.ShouldBeGreaterThan(0);

        var idle = await WaitFor(model, s => s.Replicas == 0, TimeSpan.FromSeconds(40), "scaling to zero once idle");
        var downs = idle.Decisions.SkipWhile(d => d.To > d.From).ToArray();
        downs.ShouldNotBeEmpty();
        downs.ShouldAllBe(d => d.To < d.From, "once the load stopped the autoscaler only removed replicas");
        downs.Last().Reason.ShouldContain("idle");
        var version = (await serving.Client.GetModelAsync(model)).Versions[0];
        version.Status.ShouldBe(VersionStatus.Ready, "a version scaled to zero still serves");
        version.Replicas.ShouldBe(0);
        version.Reason.ShouldNotBeNull().ShouldContain("scaled to zero");

        (await Infer(model, [3f, -1f])).ShouldBe([6f, -2f], "the first request after scale-to-zero waits for a cold start instead of failing");

        var cold = await serving.Client.GetAutoscalerAsync(model, "1");
        cold.ColdStarts.ShouldBe(1);
        cold.LastColdStartMs.ShouldBeGreaterThan(0);
        cold.Replicas.ShouldBe(1);
        var lines = await MetricLines();
        lines.ShouldContain(l => l.StartsWith("cluster_replicas_cold_start_duration_seconds_count{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"") && l.EndsWith(" 1"));
        lines.ShouldContain(l => l.StartsWith("cluster_replicas_scale_changes_total{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"") && l.Contains("direction=\"down\""));
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
