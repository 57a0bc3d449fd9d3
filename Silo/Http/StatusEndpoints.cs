using System.Reflection;
using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Silo.Http;

/// <summary>
/// The model status page at <c>/</c> (one static HTML file that polls <c>/api/status</c> and draws
/// throughput) and the JSON behind it: per model and version, state, weight, p50/p99 over the last
/// minute, total requests (the page derives throughput from them), drift score and active alerts.
/// </summary>
internal static class StatusEndpoints
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cluster.Silo.Http.StatusPage.html")
            ?? throw new InvalidOperationException("The status page is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.Body.WriteAsync(Page.Value, http.RequestAborted);
        });
        app.MapGet("/api/status", Status);
        return app;
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
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("generated_at", time.GetUtcNow());
            w.WriteStartArray("models");
            var index = 0;
            foreach (var model in models)
            {
                w.WriteStartObject();
                w.WriteString("name", model.Name);
                w.WriteString("default_version", model.DefaultVersion);
                w.WriteString("rollout", model.Traffic?.Rollout);
                w.WriteStartArray("versions");
                foreach (var version in model.Versions)
                {
                    var (statistics, drift, alerts) = figures[index++];
                    var minute = statistics.LastMinute;
                    w.WriteStartObject();
                    w.WriteString("version", version.Version);
                    w.WriteString("state", version.Status.ToString().ToUpperInvariant());
                    w.WriteNumber("weight", version.Status == VersionStatus.Ready ? Weight(model, version.Version) : 0);
                    w.WriteNumber("replicas", version.Status == VersionStatus.Ready ? version.Replicas : 0);
                    w.WriteNumber("total_requests", statistics.Total.Requests);
                    w.WriteNumber("total_failures", statistics.Total.Failure);
                    w.WriteNumber("p50_ms", minute.Request.Percentile(0.50) * 1000);
                    w.WriteNumber("p99_ms", minute.Request.Percentile(0.99) * 1000);
                    w.WriteNumberOrNull("drift_score", drift.Reference is null ? null : drift.Score);
                    w.WriteStartArray("alerts");
                    foreach (var alert in alerts.Where(a => a.IsActive)) w.WriteStringValue($"{alert.Kind} {alert.Value:G3} > {alert.Threshold:G3}");
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>The version's share of requests that name no version, in percent.</summary>
    private static double Weight(ModelInfo model, string version)
    {
        var arms = model.Arms();
        var total = arms.Sum(a => a.Weight);
        return total <= 0 ? 0 : 100 * arms.Where(a => a.Version == version).Sum(a => a.Weight) / total;
    }
}
