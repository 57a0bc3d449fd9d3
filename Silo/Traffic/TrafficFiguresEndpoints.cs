using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Cluster.Bandits;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Silo.Gateway;
using Cluster.Statistics;

namespace Cluster.Silo.Traffic;

/// <summary>
/// <c>GET /api/models/{m}/traffic/figures?window=15m</c>: what reading an A/B test needs, per arm
/// (requests, errors, latency percentiles, output distribution and its drift from the first arm; with a
/// quality config, accuracy or MAE on ground truth and its difference from the first arm with a 95 % interval)
/// and per shadow (agreement with the primary, differences, failures, latency).
/// </summary>
internal static class TrafficFiguresEndpoints
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/api/models/{model}/traffic/figures", Figures);
        ShadowComparisonEndpoint.Map(read);
    }

    private static async Task Figures(HttpContext http, IGrainFactory grains, string model, string? window)
    {
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{model}'.");
        window ??= "15m";
        Func<VersionStatistics, StatsDelta> pick = window switch
        {
            "1m" => s => s.LastMinute,
            "15m" => s => s.Last15Minutes,
            "1h" => s => s.LastHour,
            "total" => s => s.Total,
            _ => throw new InvalidInferenceRequestException($"Unknown window '{window}'; use 1m, 15m, 1h or total."),
        };
        var arms = info.Arms();
        var armStats = await Task.WhenAll(arms.Select(a => grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, a.Version)).Get()));
        var shadows = (info.Traffic?.ShadowTargets ?? [])
            .Select(s => (s.Fraction, Version: info.Resolve(s.Version)?.Version))
            .Where(s => s.Version is not null)
            .ToArray();
        var shadowStats = await Task.WhenAll(shadows.Select(s => grains.GetGrain<IShadowStatsGrain>(GrainKeys.Version(model, s.Version!)).Get()));
        var bandit = info.Traffic?.Bandit is null ? null : await grains.GetGrain<IBanditGrain>(model).GetStatus();
        // Arms are versions of one model, so the first arm's quality config says what every arm's labels are.
        (QualityTask, QualitySums[])? quality = null;
        if (arms.Length > 0 && info.FindVersion(arms[0].Version)?.Registration.Config.Quality is { } config)
        {
            var summaries = await Task.WhenAll(arms.Select(a => grains.GetGrain<IQualityStatsGrain>(GrainKeys.Version(model, a.Version)).Get(window)));
            quality = (config.Task, [.. summaries.Select(QualitySums.Of)]);
        }

        var body = Body(model, window, arms, [.. armStats.Select(pick)], [.. shadows.Select((s, i) => (s.Version!, s.Fraction, shadowStats[i]))], bandit, quality);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, TrafficJsonContext.Default.TrafficFiguresBody);
    }

    /// <summary>The body, from each arm's figures over the window, each shadow's comparison, the bandit's status and, with a quality config, each arm's quality sums.</summary>
    internal static TrafficFiguresBody Body(string model, string window, ImmutableArray<(string Version, double Weight)> arms, StatsDelta[] figures,
        (string Version, double Fraction, ShadowComparison Comparison)[] shadows, BanditStatus? bandit, (QualityTask Task, QualitySums[] Sums)? quality = null) => new(
        model,
        window,
        [.. arms.Select((arm, i) => new ArmBody(arm.Version, arm.Weight, figures[i].Requests, figures[i].Failure, figures[i].ErrorRate, Latency(figures[i].Request),
            Outputs(figures[i], i > 0 ? figures[0] : null), quality is { } q ? Quality(q.Task, q.Sums[i], i > 0 ? q.Sums[0] : null) : null))],
        [.. shadows.Select(s => Shadow(s.Version, s.Fraction, s.Comparison))],
        bandit is null ? null : new BanditFiguresBody(bandit.Matched, bandit.Unmatched,
            [.. bandit.Arms.Select(a => new BanditArmBody(a.Version, a.Probability, a.Rewards, a.MeanReward))]));

    /// <summary>An arm's output distributions (the 20 fullest bins), each with its drift from the first arm's (<paramref name="first"/>).</summary>
    private static Dictionary<string, OutputBody> Outputs(StatsDelta figures, StatsDelta? first)
    {
        var outputs = new Dictionary<string, OutputBody>(StringComparer.Ordinal);
        foreach (var (name, distribution) in figures.Outputs ?? [])
        {
            var bins = distribution.Bins.OrderByDescending(b => b.Value).Take(20)
                .Select(b => distribution.Classes
                    ? new BinBody(b.Key, null, (double)b.Value / distribution.Rows)
                    : new BinBody(null, OutputDistribution.LowerBoundOf(b.Key), (double)b.Value / distribution.Rows));
            var psi = first?.Outputs?.GetValueOrDefault(name) is { } reference ? Drift.DriftMath.Psi(distribution, reference) : (double?)null;
            outputs[name] = new OutputBody(distribution.Classes ? "argmax_class" : "value_bucket", distribution.Rows, [.. bins], psi);
        }
        return outputs;
    }

    /// <summary>An arm's quality; on arms after the first, its difference from the first arm's (this arm − first) with a 95 % interval.</summary>
    private static ArmQualityFiguresBody Quality(QualityTask task, QualitySums sums, QualitySums? first)
    {
        var arm = ArmComparison.Of(sums, task);
        return new ArmQualityFiguresBody(arm.Labelled, arm.Accuracy, arm.Mae, first is null ? null : QualityJson.Interval(ArmComparison.Difference(sums, first, task)));
    }

    private static ShadowFiguresBody Shadow(string version, double fraction, ShadowComparison comparison)
    {
        var outputs = new Dictionary<string, DifferenceBody>(StringComparer.Ordinal);
        foreach (var (name, difference) in comparison.Outputs)
        {
            outputs[name] = new DifferenceBody(difference.Elements, difference.MeanAbsDifference, difference.MaxAbsDifference, difference.Agreement);
        }
        return new ShadowFiguresBody(version, fraction, comparison.Mirrored, comparison.Failed, comparison.Skipped, Latency(comparison.Latency), outputs);
    }

    private static LatencyBody Latency(LatencyHistogram latency) =>
        new(latency.Percentile(0.50) * 1000, latency.Percentile(0.95) * 1000, latency.Percentile(0.99) * 1000);

    /// <summary>The figures of a model's A/B test over a window: per arm, per shadow, and the bandit's (null without one).</summary>
    internal sealed record TrafficFiguresBody(string Model, string Window, ArmBody[] Arms, ShadowFiguresBody[] Shadows, BanditFiguresBody? Bandit);

    internal sealed record ArmBody(string Version, double Weight, long Requests, long Errors, double ErrorRate, LatencyBody LatencyMs, Dictionary<string, OutputBody> Outputs,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ArmQualityFiguresBody? Quality);

    /// <summary>
    /// An arm's ground-truth quality over the window (<c>accuracy</c> or <c>mae</c>, left out over no labels) and, after the
    /// first arm, <c>vs_first_arm</c>: this arm − the first with its 95 % interval (null until both have labels enough).
    /// </summary>
    internal sealed record ArmQualityFiguresBody(
        long Labelled,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Accuracy,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Mae,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QualityJson.IntervalBody? VsFirstArm);

    /// <summary>An output's distribution; <c>psi_vs_first_arm</c> on arms after the first that share the output.</summary>
    internal sealed record OutputBody(
        string BinsAre,
        long Rows,
        BinBody[] Bins,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PsiVsFirstArm);

    /// <summary>A bin: an argmax <c>class</c>, or a value bucket starting <c>from</c>, and its share of rows.</summary>
    internal sealed record BinBody(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Class,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? From,
        double Fraction);

    internal sealed record ShadowFiguresBody(string Version, double Fraction, long Mirrored, long Failed, long Skipped, LatencyBody LatencyMs, Dictionary<string, DifferenceBody> Outputs);

    internal sealed record DifferenceBody(
        [property: JsonPropertyName("values_compared")] long Elements,
        double MeanAbsDifference,
        double MaxAbsDifference,
        [property: JsonPropertyName("argmax_agreement")] double? Agreement);

    internal sealed record LatencyBody(
        [property: JsonPropertyName("p50")] double P50,
        [property: JsonPropertyName("p95")] double P95,
        [property: JsonPropertyName("p99")] double P99);

    internal sealed record BanditFiguresBody(
        [property: JsonPropertyName("feedback_matched")] long Matched,
        [property: JsonPropertyName("feedback_unmatched")] long Unmatched,
        BanditArmBody[] Arms);

    internal sealed record BanditArmBody(string Version, double Probability, long Rewards, double MeanReward);
}
