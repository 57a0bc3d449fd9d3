using System.Net;
using System.Text.Json;
using Cluster.Models;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class ShadowTests(ServingFixture serving)
{
    private async Task<string> Model(params byte[][] versions)
    {
        var model = $"sh-{Guid.NewGuid():N}"[..12];
        for (var i = 0; i < versions.Length; i++) await serving.Client.UploadVersionAsync(model, $"{i + 1}", versions[i]);
        return model;
    }

    private async Task<float[]> Primary(string model, float[] x)
    {
        var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], x) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("model_version").GetString().ShouldBe("1", "shadows never answer");
        return Floats(body.GetProperty("outputs")[0]);
    }

    [Fact]
    public async Task EachShadowGetsItsFractionAndItsAgreementWithThePrimaryIsRecorded()
    {
        var model = await Model(TestModels.Scale(2f), TestModels.Scale(2f), TestModels.Scale(-2f));
        await serving.Client.SetTrafficAsync(model, new Dictionary<string, double> { ["1"] = 100 }, shadows: [new ShadowTarget("2", 1), new ShadowTarget("3", 0.5)]);
        const int requests = 200;

        for (var round = 0; round < requests / 4; round++) await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Primary(model, [1f, 2f])));

        var same = await WaitForMirrored(model, "2", requests);
        same.Failed.ShouldBe(0);
        same.Outputs["y"].Agreement.ShouldBe(1.0);
        same.Outputs["y"].MaxAbsDifference.ShouldBe(0);
        var opposite = await serving.Client.GetShadowComparisonAsync(model, "3");
        opposite.Mirrored.ShouldBeInRange(60, 140, "half of 200, within 5.6 standard deviations");
        opposite.Outputs["y"].Agreement.ShouldBe(0.0, "[-2,-4] never has the argmax of [2,4]");
        opposite.Outputs["y"].MeanAbsDifference.ShouldBe(6, 1e-9);

        var (_, figures) = await Get(serving.Http, $"/api/models/{model}/traffic/figures?window=total");
        var shadows = figures.GetProperty("shadows").EnumerateArray().ToDictionary(s => s.GetProperty("version").GetString()!);
        shadows["2"].GetProperty("outputs").GetProperty("y").GetProperty("argmax_agreement").GetDouble().ShouldBe(1);
        shadows["3"].GetProperty("outputs").GetProperty("y").GetProperty("argmax_agreement").GetDouble().ShouldBe(0);
        var arm = figures.GetProperty("arms")[0];
        arm.GetProperty("version").GetString().ShouldBe("1");
        arm.GetProperty("requests").GetInt64().ShouldBeGreaterThanOrEqualTo(requests);
    }

    [Fact]
    public async Task AFailingOrSlowShadowNeverFailsOrHoldsThePrimary()
    {
        var model = await Model(TestModels.Scale(2f), TestModels.FailingScale(2f), TestModels.SlowScale(2f, layers: 60));
        await serving.Client.SetTrafficAsync(model, new Dictionary<string, double> { ["1"] = 100 }, shadows: [new ShadowTarget("2", 1), new ShadowTarget("3", 1)]);

        for (var round = 0; round < 100; round++)
        {
            foreach (var y in await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Primary(model, [5f, 1f])))) y.ShouldBe([10f, 2f]);
        }

        var failing = await WaitForMirrored(model, "2", 400);
        failing.Failed.ShouldBe(failing.Mirrored, "x = 5 fails the failing shadow every time");
        var slow = await serving.Client.GetShadowComparisonAsync(model, "3");
        // The 4 callers never have more than 4 requests open; copies pile up beyond 32 only because nobody waits for them.
        slow.Skipped.ShouldBeGreaterThan(0, $"mirrored {slow.Mirrored}, skipped {slow.Skipped}");
        (slow.Mirrored + slow.Skipped).ShouldBe(400);
    }

    [Fact]
    public async Task AShadowWithOtherInputsFailsOnItsOwnAndBadShadowsAreRefused()
    {
        var model = await Model(TestModels.Scale(2f), TestModels.Identity(Tensors.TensorDataType.Int32));
        await serving.Client.SetTrafficAsync(model, new Dictionary<string, double> { ["1"] = 100 }, shadows: [new ShadowTarget("2", 1)]);
        for (var i = 0; i < 10; i++) (await Primary(model, [1f, 1f])).ShouldBe([2f, 2f]);
        (await WaitForMirrored(model, "2", 10)).Failed.ShouldBe(10);

        var (status, error) = await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"shadows": [{"version": "2", "fraction": 0}]}""");
        status.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString()!.ShouldContain("fraction");
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"shadows": [{"fraction": 0.5}]}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    private Task<Statistics.ShadowComparison> WaitForMirrored(string model, string version, long mirrored) => Poll.For(
        () => serving.Client.GetShadowComparisonAsync(model, version),
        comparison => comparison.Mirrored + comparison.Skipped >= mirrored && comparison.Latency.Count + comparison.Failed >= comparison.Mirrored);

}
