using System.Text.Json;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Silo.Gateway;
using Cluster.Statistics;

namespace Cluster.Silo.Traffic;

/// <summary>
/// <c>GET /api/models/{m}/traffic/figures?window=15m</c>: what reading an A/B test needs, per arm
/// (requests, errors, latency percentiles, output distribution and its drift from the first arm)
/// and per shadow (agreement with the primary, differences, failures, latency).
/// </summary>
internal static class TrafficFiguresEndpoints
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/api/models/{model}/traffic/figures", Figures);
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

        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("window", window);
            w.WriteStartArray("arms");
            StatsDelta? first = null;
            for (var i = 0; i < arms.Length; i++)
            {
                var figures = pick(armStats[i]);
                first ??= figures;
                w.WriteStartObject();
                w.WriteString("version", arms[i].Version);
                w.WriteNumber("weight", arms[i].Weight);
                w.WriteNumber("requests", figures.Requests);
                w.WriteNumber("errors", figures.Failure);
                w.WriteNumber("error_rate", figures.ErrorRate);
                Latency(w, figures.Request);
                w.WriteStartObject("outputs");
                foreach (var (name, distribution) in figures.Outputs ?? [])
                {
                    w.WriteStartObject(name);
                    w.WriteString("bins_are", distribution.Classes ? "argmax_class" : "value_bucket");
                    w.WriteNumber("rows", distribution.Rows);
                    w.WriteStartArray("bins");
                    foreach (var (bin, count) in distribution.Bins.OrderByDescending(b => b.Value).Take(20))
                    {
                        w.WriteStartObject();
                        if (distribution.Classes) w.WriteNumber("class", bin);
                        else w.WriteNumber("from", OutputDistribution.LowerBoundOf(bin));
                        w.WriteNumber("fraction", (double)count / distribution.Rows);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (i > 0 && first.Outputs?.GetValueOrDefault(name) is { } reference)
                    {
                        w.WriteNumber("psi_vs_first_arm", OutputDistribution.PopulationStability(distribution, reference));
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("shadows");
            for (var i = 0; i < shadows.Length; i++)
            {
                var comparison = shadowStats[i];
                w.WriteStartObject();
                w.WriteString("version", shadows[i].Version);
                w.WriteNumber("fraction", shadows[i].Fraction);
                w.WriteNumber("mirrored", comparison.Mirrored);
                w.WriteNumber("failed", comparison.Failed);
                w.WriteNumber("skipped", comparison.Skipped);
                Latency(w, comparison.Latency);
                w.WriteStartObject("outputs");
                foreach (var (name, difference) in comparison.Outputs)
                {
                    w.WriteStartObject(name);
                    w.WriteNumber("values_compared", difference.Elements);
                    w.WriteNumber("mean_abs_difference", difference.MeanAbsDifference);
                    w.WriteNumber("max_abs_difference", difference.MaxAbsDifference);
                    w.WriteNumberOrNull("argmax_agreement", difference.Agreement);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (bandit is null)
            {
                w.WriteNull("bandit");
            }
            else
            {
                w.WriteStartObject("bandit");
                w.WriteNumber("feedback_matched", bandit.Matched);
                w.WriteNumber("feedback_unmatched", bandit.Unmatched);
                w.WriteStartArray("arms");
                foreach (var arm in bandit.Arms)
                {
                    w.WriteStartObject();
                    w.WriteString("version", arm.Version);
                    w.WriteNumber("probability", arm.Probability);
                    w.WriteNumber("rewards", arm.Rewards);
                    w.WriteNumber("mean_reward", arm.MeanReward);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    private static void Latency(Utf8JsonWriter w, LatencyHistogram latency)
    {
        w.WriteStartObject("latency_ms");
        w.WriteNumber("p50", latency.Percentile(0.50) * 1000);
        w.WriteNumber("p95", latency.Percentile(0.95) * 1000);
        w.WriteNumber("p99", latency.Percentile(0.99) * 1000);
        w.WriteEndObject();
    }
}
