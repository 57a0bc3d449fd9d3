using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Serialization;
using Cluster.Drift;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Statistics;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;

namespace Cluster.Silo.Observability;

/// <summary>
/// The model status page at <c>/</c> (one static HTML file that polls <c>/api/status</c> and <c>/api/cost</c> and draws
/// throughput and utilization) and the JSON behind it: per model and version, state, weight, p50/p99 over the last
/// minute, total requests (the page derives throughput from them), drift score and active alerts.
/// </summary>
internal static class StatusEndpoints
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cluster.Silo.Observability.StatusPage.html")
            ?? throw new InvalidOperationException("The status page is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(IEndpointRouteBuilder open, IEndpointRouteBuilder read)
    {
        // A Func, not a RequestDelegate, so the endpoint carries the handler's metadata the API description reads.
        open.MapGet("/", (Func<HttpContext, Task>)WritePage);
        // One model's detail page: the same page, which reads the model from its path and shows only that one.
        open.MapGet("/models/{model}", (Func<HttpContext, Task>)WritePage);
        read.MapGet("/api/status", Status);
    }

    private static async Task WritePage(HttpContext http)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.Body.WriteAsync(Page.Value, http.RequestAborted);
    }

    private static async Task Status(HttpContext http, IGrainFactory grains, TimeProvider time)
    {
        var names = await VisibleModels.List(http, grains);
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetInfo()));
        var versions = models.SelectMany(m => m.Versions.Select(v => (Model: m, Version: v))).ToArray();
        var figures = await Task.WhenAll(versions.Select(async v =>
        {
            var stats = grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(v.Model.Name, v.Version.Version));
            return (Statistics: await stats.Get(), Drift: await stats.GetDrift("15m"), Alerts: await stats.GetAlerts());
        }));
        var index = 0;
        var body = new StatusBody(time.GetUtcNow(), [.. models.Select(model => new ModelStatusBody(model.Name, model.DefaultVersion, model.Traffic?.Rollout,
            [.. model.Versions.Select(version => Version(model, version, figures[index++]))]))]);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, ObservabilityJsonContext.Default.StatusBody);
    }

    private static VersionStatusBody Version(ModelInfo model, ModelVersionInfo version, (VersionStatistics Statistics, DriftReport Drift, ImmutableArray<ModelAlert> Alerts) figures)
    {
        var (statistics, drift, alerts) = figures;
        var minute = statistics.LastMinute;
        var ready = version.Status == VersionStatus.Ready;
        return new(
            version.Version,
            version.Status.ToString().ToUpperInvariant(),
            version.Reason,
            ready ? Weight(model, version.Version) : 0,
            ready ? version.Replicas : 0,
            statistics.Total.Requests,
            statistics.Total.Failure,
            minute.Request.Percentile(0.50) * 1000,
            minute.Request.Percentile(0.99) * 1000,
            drift.Reference is null ? null : drift.Score,
            [.. alerts.Where(a => a.IsActive).Select(a => $"{a.Kind} {a.Value:G3} > {a.Threshold:G3}")]);
    }

    /// <summary>What the status page draws: every model the caller may see, with its versions' figures.</summary>
    internal sealed record StatusBody(DateTimeOffset GeneratedAt, ModelStatusBody[] Models);

    internal sealed record ModelStatusBody(string Name, string? DefaultVersion, string? Rollout, VersionStatusBody[] Versions);

    /// <summary>A version: state and why it is not serving (a load failure, a config.json error, scaled to zero), share of traffic in percent, replicas, totals, last-minute latency, drift score (null without a reference), active alerts.</summary>
    internal sealed record VersionStatusBody(
        string Version,
        string State,
        string? Reason,
        double Weight,
        int Replicas,
        long TotalRequests,
        long TotalFailures,
        [property: JsonPropertyName("p50_ms")] double P50Ms,
        [property: JsonPropertyName("p99_ms")] double P99Ms,
        double? DriftScore,
        string[] Alerts);

    /// <summary>The version's share of requests that name no version, in percent.</summary>
    private static double Weight(ModelInfo model, string version)
    {
        var arms = model.Arms();
        var total = arms.Sum(a => a.Weight);
        return total <= 0 ? 0 : 100 * arms.Where(a => a.Version == version).Sum(a => a.Weight) / total;
    }
}
