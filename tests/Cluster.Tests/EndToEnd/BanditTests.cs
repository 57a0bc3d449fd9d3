using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class BanditTests(ServingFixture serving)
{
    [Fact]
    public async Task FeedbackShiftsTrafficTowardTheArmThatEarnsMore()
    {
        var model = $"bd-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await serving.Client.UploadVersionAsync(model, "2", TestModels.Scale(2f));
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"1": 50, "2": 50}, "bandit": {"exploration": 0.1}}""")).Status.ShouldBe(HttpStatusCode.OK);

        var recent = new Queue<string>();
        var random = new Random(3);
        // Served in rounds of 20, each answered with the caller's feedback, until version 2 has 85 of the last 100.
        await Poll.For(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var (status, response) = await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 1f }) } });
                status.ShouldBe(HttpStatusCode.OK);
                var version = response.GetProperty("model_version").GetString()!;
                var id = response.GetProperty("id").GetString()!;
                recent.Enqueue(version);
                if (recent.Count > 100) recent.Dequeue();
                // Version 2 pleases 80 % of callers, version 1 20 %.
                var reward = random.NextDouble() < (version == "2" ? 0.8 : 0.2) ? 1 : 0;
                _ = serving.Client.SendFeedbackAsync(model, id, reward);
            }
            return recent.Count(v => v == "2");
        }, second => recent.Count == 100 && second >= 85, TimeSpan.FromSeconds(60));

        var bandit = await serving.Client.GetBanditAsync(model);
        bandit.Arms.Single(a => a.Version == "2").Probability.ShouldBeGreaterThan(0.5);
        bandit.Arms.Single(a => a.Version == "2").MeanReward.ShouldBeGreaterThan(bandit.Arms.Single(a => a.Version == "1").MeanReward);
        var (_, figures) = await Get(serving.Http, $"/api/models/{model}/traffic/figures");
        figures.GetProperty("bandit").GetProperty("feedback_matched").GetInt64().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task FeedbackIsCheckedAndMatchedToServedRequests()
    {
        var model = $"bd-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        await serving.Client.UploadVersionAsync(model, "2", TestModels.Scale(2f));
        (await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"id": "x", "reward": 1}""")).Status.ShouldBe(HttpStatusCode.Conflict, "no bandit yet");
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"1": 50}, "bandit": true}""")).Status.ShouldBe(HttpStatusCode.BadRequest, "one arm is no choice");
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"1": 50, "2": 50}, "bandit": {"exploration": 0}}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PutRaw(serving.Http, $"/api/models/{model}/traffic", """{"weights": {"1": 50, "2": 50}, "bandit": true}""")).Status.ShouldBe(HttpStatusCode.OK);
        // The router picks up the bandit with its next catalog refresh; from then on it gives every request an id to learn from.
        await Poll.Until(async () => (await Post(serving.Http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 1f }) } })).Body.TryGetProperty("id", out _));

        var (_, served) = await Post(serving.Http, $"/v2/models/{model}/infer", new { id = "mine-1", inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 1f }) } });
        served.GetProperty("id").GetString().ShouldBe("mine-1", "a caller's own id is kept");
        var (matched, body) = await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"id": "mine-1", "reward": 0.5}""");
        matched.ShouldBe(HttpStatusCode.OK, body.ToString());
        (await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"id": "mine-1", "reward": 0.5}""")).Status.ShouldBe(HttpStatusCode.NotFound, "one reward per request");
        (await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"id": "never-served", "reward": 0.5}""")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"id": "mine-1", "reward": 2}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"reward": 1}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PostRaw(serving.Http, $"/api/models/{model}/feedback", """{"id": """)).Status.ShouldBe(HttpStatusCode.BadRequest);

        var bandit = await serving.Client.GetBanditAsync(model);
        bandit.Matched.ShouldBe(1);
        bandit.Unmatched.ShouldBe(2);
        bandit.Arms.Sum(a => a.Rewards).ShouldBe(1);
    }

}
