using System.Text.Json;
using Cluster.Bandits;
using Cluster.Quality;
using Cluster.Statistics;

namespace Cluster.Client.Remote;

/// <summary>A model's bandit, shadow comparisons and quality through the HTTP API, in the client's own types.</summary>
internal sealed partial class GatewayConnection
{
    /// <summary>The bandit's arms from the traffic figures; no arms when the model runs no bandit, as in-cluster.</summary>
    public async Task<BanditStatus> GetBandit(string model)
    {
        using var body = await Send(HttpMethod.Get, $"api/models/{Segment(model)}/traffic/figures");
        if (!body!.RootElement.TryGetProperty("bandit", out var bandit) || bandit.ValueKind != JsonValueKind.Object) return new BanditStatus([], 0, 0);
        return new BanditStatus(
            [.. bandit.GetProperty("arms").EnumerateArray().Select(a =>
            {
                var rewards = a.GetProperty("rewards").GetInt64();
                return new BanditArm(a.GetProperty("version").GetString()!, a.GetProperty("probability").GetDouble(), rewards, a.GetProperty("mean_reward").GetDouble() * rewards);
            })],
            bandit.GetProperty("feedback_matched").GetInt64(),
            bandit.GetProperty("feedback_unmatched").GetInt64());
    }

    public async Task<ShadowComparison> GetShadowComparison(string model, string version)
    {
        using var body = await Send(HttpMethod.Get, $"{VersionPath(model, version)}/shadow");
        return body!.RootElement.Deserialize<ShadowComparison>(WireNames)
            ?? throw new Errors.InferenceFailedException($"The gateway sent no shadow comparison for {model} version {version}.");
    }

    public async Task<QualityReport> GetQuality(string model, string window)
    {
        using var body = await Send(HttpMethod.Get, $"api/models/{Segment(model)}/quality?window={Uri.EscapeDataString(window)}");
        var report = body!.RootElement;
        return new QualityReport(report.GetProperty("window").GetString()!, [.. report.GetProperty("versions").EnumerateArray().Select(Version)]);
    }

    private static VersionQuality Version(JsonElement v) => new(
        v.GetProperty("version").GetString()!,
        v.GetProperty("task").GetString() == "regression" ? Models.QualityTask.Regression : Models.QualityTask.Classification,
        v.GetProperty("labelled").GetInt64(),
        JsonFields.Number(v, "accuracy"),
        v.TryGetProperty("classes", out var classes) && classes.ValueKind == JsonValueKind.Array
            ? [.. classes.EnumerateArray().Select(c => new ClassQuality(c.GetProperty("class").GetInt32(), c.TryGetProperty("name", out var n) ? n.GetString() : null,
                c.GetProperty("support").GetInt64(), c.GetProperty("precision").GetDouble(), c.GetProperty("recall").GetDouble(), c.GetProperty("f1").GetDouble()))]
            : [],
        v.TryGetProperty("confusion", out var confusion) && confusion.ValueKind == JsonValueKind.Array
            ? [.. confusion.EnumerateArray().Select(c => new ConfusionCell(c.GetProperty("actual").GetInt32(), c.GetProperty("predicted").GetInt32(), c.GetProperty("count").GetInt64()))]
            : [],
        JsonFields.Number(v, "expected_calibration_error"),
        JsonFields.Number(v, "mae"),
        JsonFields.Number(v, "rmse"),
        JsonFields.Number(v, "mean_error"),
        [.. v.GetProperty("segments").EnumerateArray().Select(s => new SegmentQuality(s.GetProperty("segment").GetString()!, s.GetProperty("labelled").GetInt64(),
            JsonFields.Number(s, "accuracy"), JsonFields.Number(s, "mae"), JsonFields.Number(s, "positive_rate"), JsonFields.Number(s, "true_positive_rate")))],
        JsonFields.Number(v, "positive_rate_disparity"),
        JsonFields.Number(v, "true_positive_rate_disparity"));
}
