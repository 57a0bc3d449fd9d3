using System.Net;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Bias of a binary classifier over HTTP: per-segment rates and the gaps between segments, and the alert on a maximum gap.</summary>
public sealed class BiasTests(ServingFixture serving)
{
    [Fact]
    public async Task ABinaryClassifiersGapBetweenSegmentsIsReportedAndAlertedOn()
    {
        var model = $"bias-{Guid.NewGuid():N}"[..13];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(1f));
        var (configured, config) = await PutRaw(serving.Http, $"/api/models/{model}/config",
            """{"max_batch_size": 8, "quality": {"task": "classification", "classes": ["declined", "approved"], "segment": "region"}, "alerts": {"max_disparity": 0.2}}""");
        configured.ShouldBe(HttpStatusCode.OK, config.ToString());
        await Poll.Until(async () => (await Get(serving.Http, $"/v2/models/{model}/ready")).Status == HttpStatusCode.OK);

        // north: 3 of 12 approved; south: 9 of 12. Every answer is right, so only the rates differ.
        var labels = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var region = i < 12 ? "north" : "south";
            var approved = i < 12 ? i < 3 : i < 21;
            var id = $"{model}-{i}";
            var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", new
            {
                id,
                parameters = new { region },
                inputs = new[] { Tensor("x", "FP32", [1, 2], approved ? new[] { 0.1f, 0.9f } : new[] { 0.9f, 0.1f }) },
            });
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            labels.Add($$"""{"id": "{{id}}", "label": {{(approved ? 1 : 0)}}}""");
        }
        var (posted, result) = await PostRaw(serving.Http, $"/api/models/{model}/ground-truth", $$"""{"labels": [{{string.Join(",", labels)}}]}""");
        posted.ShouldBe(HttpStatusCode.OK, result.ToString());
        result.GetProperty("matched").GetInt32().ShouldBe(24);

        var (_, quality) = await Get(serving.Http, $"/api/models/{model}/quality");
        var version = quality.GetProperty("versions").EnumerateArray().Single();
        version.GetProperty("segments").EnumerateArray()
            .Select(s => (s.GetProperty("segment").GetString(), s.GetProperty("positive_rate").GetDouble(), s.GetProperty("true_positive_rate").GetDouble()))
            .ShouldBe([("north", 0.25, 1.0), ("south", 0.75, 1.0)]);
        version.GetProperty("positive_rate_disparity").GetDouble().ShouldBe(0.5);
        version.GetProperty("true_positive_rate_disparity").GetDouble().ShouldBe(0.0);
        var alert = await Poll.For(async () =>
        {
            var (_, alerts) = await Get(serving.Http, "/api/alerts");
            return alerts.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("model").GetString() == model).Select(a => a.Clone()).ToArray();
        }, alerts => alerts.Any(a => a.GetProperty("kind").GetString() == "disparity"), TimeSpan.FromSeconds(30));
        var disparity = alert.Single(a => a.GetProperty("kind").GetString() == "disparity");
        (disparity.GetProperty("value").GetDouble(), disparity.GetProperty("threshold").GetDouble(), disparity.GetProperty("active").GetBoolean()).ShouldBe((0.5, 0.2, true));
    }
}
