using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Rollouts over the HTTP API: plans, states and figures on the wire. Steps and gates on a clock are in FakeTime/RolloutStepTests.</summary>
public sealed class RolloutTests(ServingFixture serving)
{
    /// <summary>A model whose version 1 takes all traffic before <paramref name="canary"/> is uploaded as version 2, so the canary gets none until the rollout.</summary>
    private async Task<string> ModelWithCanary(byte[] canary)
    {
        var model = $"ro-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(2f));
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"1": 100}}""")).Status.ShouldBe(HttpStatusCode.OK);
        await serving.Client.UploadVersionAsync(model, "2", canary);
        return model;
    }

    [Fact]
    public async Task AHealthyCanaryIsPromotedStepByStep()
    {
        var model = await ModelWithCanary(TestModels.Scale(2f));
        using var load = new SplitLoad(serving.Http, model, x: 1);

        var (status, started) = await PostRaw(serving.Http, $"/api/models/{model}/rollouts", """
            {"target": "2", "steps": [{"weight": 20, "duration_seconds": 1}, {"weight": 60, "duration_seconds": 1}],
             "gates": {"max_error_rate": 0.01, "max_drift_score": 0.2, "min_requests": 5}}
            """);
        status.ShouldBe(HttpStatusCode.Created, started.ToString());
        started.GetProperty("baseline_version").GetString().ShouldBe("1");
        started.GetProperty("target_weight").GetDouble().ShouldBe(20);

        var done = await WaitForEnd(model);
        done.GetProperty("state").GetString().ShouldBe("promoted", done.ToString());
        var events = done.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("event").GetString()).ToArray();
        events.ShouldBe(["started", "advanced", "promoted"]);
        var promoted = done.GetProperty("history")[2];
        promoted.GetProperty("figures").GetProperty("target_requests").GetInt64().ShouldBeGreaterThanOrEqualTo(5);
        promoted.GetProperty("figures").GetProperty("target_error_rate").GetDouble().ShouldBe(0);

        var (_, traffic) = await Get(serving.Http, $"/api/models/{model}/traffic");
        traffic.GetProperty("weights").EnumerateObject().Select(w => (w.Name, w.Value.GetDouble())).ShouldBe([("2", 100.0)]);
        traffic.GetProperty("rollout").ValueKind.ShouldBe(JsonValueKind.Null);
        load.Failures.ShouldBe(0, "a healthy canary fails nothing");
    }

    [Fact]
    public async Task ASlowCanaryIsRolledBackOnItsP99LatencyRatio()
    {
        var model = await ModelWithCanary(TestModels.SlowScale(2f));
        using var load = new SplitLoad(serving.Http, model, x: 1);

        (await PostRaw(serving.Http, $"/api/models/{model}/rollouts", """
            {"target": "2", "steps": [{"weight": 25, "duration_seconds": 30}],
             "gates": {"max_p99_latency_ratio": 3, "min_requests": 5}}
            """)).Status.ShouldBe(HttpStatusCode.Created);

        var done = await WaitForEnd(model);
        done.GetProperty("state").GetString().ShouldBe("rolled_back", done.ToString());
        var last = done.GetProperty("history").EnumerateArray().Last();
        last.GetProperty("reason").GetString()!.ShouldContain("p99 latency");
        last.GetProperty("figures").GetProperty("p99_latency_ratio").GetDouble().ShouldBeGreaterThan(3);
        await ShouldServeOnlyBaseline(model);
        load.Failures.ShouldBe(0, "slow is not failed");
    }

    [Fact]
    public async Task AnOperatorPausesResumesAndAbortsAndTrafficIsLockedMeanwhile()
    {
        var model = await ModelWithCanary(TestModels.Scale(2f));
        (await PostRaw(serving.Http, $"/api/models/{model}/rollouts", """{"target": "2", "steps": [{"weight": 30, "duration_seconds": 600}]}""")).Status.ShouldBe(HttpStatusCode.Created);
        (await PostRaw(serving.Http, $"/api/models/{model}/rollouts", """{"target": "2", "steps": [{"weight": 30, "duration_seconds": 600}]}""")).Status.ShouldBe(HttpStatusCode.Conflict);

        var (_, traffic) = await Get(serving.Http, $"/api/models/{model}/traffic");
        traffic.GetProperty("weights").GetProperty("2").GetDouble().ShouldBe(30);
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"2": 100}}""")).Status.ShouldBe(HttpStatusCode.Conflict);

        (await PostRaw(serving.Http, $"/api/models/{model}/rollouts/current/resume", "")).Status.ShouldBe(HttpStatusCode.Conflict);
        var (_, paused) = await PostRaw(serving.Http, $"/api/models/{model}/rollouts/current/pause", "");
        paused.GetProperty("state").GetString().ShouldBe("paused");
        var (_, resumed) = await PostRaw(serving.Http, $"/api/models/{model}/rollouts/current/resume", "");
        resumed.GetProperty("state").GetString().ShouldBe("running");
        var (_, aborted) = await PostRaw(serving.Http, $"/api/models/{model}/rollouts/current/abort", "");
        aborted.GetProperty("state").GetString().ShouldBe("aborted");
        aborted.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("event").GetString()).ShouldBe(["started", "paused", "resumed", "aborted"]);

        await ShouldServeOnlyBaseline(model);
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"1": 50, "2": 50}}""")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BadPlansAreRefusedWithAReason()
    {
        var model = await ModelWithCanary(TestModels.Scale(2f));
        foreach (var plan in new[]
        {
            """{"target": "9", "steps": [{"weight": 10, "duration_seconds": 1}]}""",
            """{"target": "2", "steps": []}""",
            """{"target": "2", "steps": [{"weight": 150, "duration_seconds": 1}]}""",
            """{"target": "2", "baseline": "2", "steps": [{"weight": 10, "duration_seconds": 1}]}""",
            """{"target": "2", "steps": [{"weight": 10}]}""",
            """{"target": "2", "steps": [{"weight": 10, "duration_seconds": 1}], "gates": {"max_error_rate": 2}}""",
            """{"target": 2""",
        })
        {
            var (status, body) = await PostRaw(serving.Http, $"/api/models/{model}/rollouts", plan);
            status.ShouldBeOneOf([HttpStatusCode.BadRequest, HttpStatusCode.NotFound], plan);
            body.GetProperty("error").GetString().ShouldNotBeNullOrEmpty();
        }
        (await Get(serving.Http, $"/api/models/{model}/rollouts/current")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await PostRaw(serving.Http, "/api/models/no-such-model/rollouts", """{"target": "2", "steps": [{"weight": 10, "duration_seconds": 1}]}""")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<JsonElement> WaitForEnd(string model)
    {
        var rollout = default(JsonElement);
        await Poll.Until(async () =>
        {
            (_, rollout) = await Get(serving.Http, $"/api/models/{model}/rollouts/current");
            return rollout.GetProperty("state").GetString() is not ("running" or "paused");
        });
        return rollout;
    }

    /// <summary>The traffic policy as the API shows it after a rollout ended without promotion; routing by it is shown on a fake clock (RolloutStepTests).</summary>
    private async Task ShouldServeOnlyBaseline(string model)
    {
        var (_, traffic) = await Get(serving.Http, $"/api/models/{model}/traffic");
        traffic.GetProperty("weights").EnumerateObject().Select(w => (w.Name, w.Value.GetDouble())).ShouldBe([("1", 100.0)]);
        traffic.GetProperty("rollout").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
