using System.Net;
using System.Text.Json;
using Cluster.Models;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class DriftTests(ServingFixture serving)
{
    private static readonly ModelConfig Monitored = ModelConfig.Default with { Monitoring = new MonitoringConfig(ReferenceRows: 200, MaxDriftScore: 0.25) };

    private async Task<string> Model()
    {
        var model = $"dr-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f), config: Monitored);
        return model;
    }

    /// <summary>Rows of two features, roughly normal around <paramref name="shift"/>, sent 8 rows a request.</summary>
    private async Task Send(string model, int rows, float shift, int seed)
    {
        var random = new Random(seed);
        for (var sent = 0; sent < rows; sent += 8)
        {
            var x = Enumerable.Range(0, 16).Select(_ => shift + (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5)).ToArray();
            (await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [8, 2], x) } })).Status.ShouldBe(HttpStatusCode.OK);
        }
    }

    private Task<JsonElement> Drift(string model, Func<JsonElement, bool> until) => Poll.For(async () =>
    {
        var (status, body) = await Get(serving.Http, $"/api/models/{model}/drift?window=15m");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("versions")[0];
    }, until);

    private static bool HasReference(JsonElement version) => version.GetProperty("reference").ValueKind == JsonValueKind.Object;

    private static long Values(JsonElement version) => version.GetProperty("features").EnumerateArray().Sum(f => f.GetProperty("values").GetInt64());

    private async Task<JsonElement[]> AlertsOf(string model)
    {
        var (_, alerts) = await Get(serving.Http, "/api/alerts");
        return [.. alerts.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("model").GetString() == model)];
    }

    [Fact]
    public async Task ShiftedInputsRaiseTheDriftScoreAndAnAlertWhileUnshiftedOnesDoNot()
    {
        var steady = await Model();
        var shifted = await Model();
        await Task.WhenAll(Send(steady, 240, 0, seed: 1), Send(shifted, 240, 0, seed: 2));
        (await Drift(steady, HasReference)).GetProperty("reference").GetProperty("source").GetString().ShouldBe("first_requests");
        await Drift(shifted, HasReference);

        await Task.WhenAll(Send(steady, 400, 0, seed: 3), Send(shifted, 400, 2.5f, seed: 4));

        var calm = await Drift(steady, v => Values(v) >= 600);
        calm.GetProperty("score").GetDouble().ShouldBeLessThan(0.1, calm.ToString());
        var moved = await Drift(shifted, v => Values(v) >= 600);
        moved.GetProperty("score").GetDouble().ShouldBeGreaterThan(1, moved.ToString());
        var feature = moved.GetProperty("features").EnumerateArray().First(f => f.GetProperty("name").GetString() == "x[0]");
        feature.GetProperty("ks").GetDouble().ShouldBeGreaterThan(0.8);
        feature.GetProperty("mean").GetDouble().ShouldBe(2.5, 0.2);
        feature.GetProperty("reference_mean").GetDouble().ShouldBe(0, 0.2);

        // Alerts are judged on pushes, at most every 2 s: keep a little traffic flowing until they are. Fresh rows each round: the same
        // eight requests sent over and over filled the steady model's window with repeats, lumpy enough to score 0.29 once requests got faster.
        var round = 0;
        var alert = (await Poll.For(async () =>
        {
            round++;
            await Task.WhenAll(Send(steady, 8, 0, seed: 100 + round), Send(shifted, 8, 2.5f, seed: 10_000 + round));
            return await AlertsOf(shifted);
        }, alerts => alerts.Length > 0, TimeSpan.FromSeconds(30))).Single();
        alert.GetProperty("kind").GetString().ShouldBe("drift_score");
        alert.GetProperty("active").GetBoolean().ShouldBeTrue();
        alert.GetProperty("threshold").GetDouble().ShouldBe(0.25);
        (await AlertsOf(steady)).ShouldBeEmpty();

        using var metrics = await serving.Http.GetAsync("/metrics");
        var exposition = await metrics.Content.ReadAsStringAsync();
        exposition.Split('\n').ShouldContain(l => l.StartsWith("cluster_alerts_raised_total{", StringComparison.Ordinal) && l.Contains($"model=\"{shifted}\"") && l.Contains("kind=\"drift_score\""), string.Join("\n", exposition.Split('\n').Where(l => l.Contains("alert"))));
    }

    [Fact]
    public async Task ASampleSetBecomesTheReferenceAtOnce()
    {
        var model = await Model();
        var random = new Random(9);
        var sample = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        var (status, reference) = await Post(serving.Http, $"/api/models/{model}/versions/1/reference", new { inputs = new[] { Tensor("x", "FP32", [500, 2], sample) } });

        status.ShouldBe(HttpStatusCode.OK, reference.ToString());
        reference.GetProperty("reference").GetProperty("source").GetString().ShouldBe("sample_set");
        reference.GetProperty("reference").GetProperty("rows").GetInt64().ShouldBe(500);
        await Send(model, 200, 5, seed: 10);
        // The sample set itself ran through the version, so the window holds its 500 rows and the 200 shifted ones.
        var drift = await Drift(model, v => v.GetProperty("outputs").EnumerateArray().Sum(o => o.GetProperty("values").GetInt64()) >= 700);
        drift.GetProperty("score").GetDouble().ShouldBeGreaterThan(0.25);
        drift.GetProperty("outputs").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("y");

        (await Post(serving.Http, $"/api/models/{model}/versions/1/reference", new { inputs = new[] { Tensor("wrong", "FP32", [1, 2], new[] { 1f, 2f }) } })).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Get(serving.Http, $"/api/models/{model}/drift?window=2d")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Get(serving.Http, "/api/models/no-such-model/drift")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
