using System.Reflection;
using System.Text.Json.Serialization;
using Cluster.Grains;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Observability;

/// <summary>
/// <c>GET /api/models/{m}/history</c>: each version's last hour per minute from its statistics grain's ring (requests, errors,
/// p50/p99), so the status page draws history recorded before it was opened; and uPlot, the charting library the page draws it
/// with, served from the silo itself (fetched from npm at build time and embedded, never from a CDN at run time).
/// </summary>
internal static class HistoryEndpoints
{
    private const string UPlotScript = "Cluster.Silo.Observability.uPlot.iife.min.js";
    private const string UPlotStyle = "Cluster.Silo.Observability.uPlot.min.css";

    public static void Map(IEndpointRouteBuilder open, IEndpointRouteBuilder read)
    {
        read.MapGet("/api/models/{model}/history", History);
        open.MapGet("/static/uplot/uPlot.iife.min.js", (Func<HttpContext, Task>)(http => Resource(http, UPlotScript, "text/javascript")));
        open.MapGet("/static/uplot/uPlot.min.css", (Func<HttpContext, Task>)(http => Resource(http, UPlotStyle, "text/css")));
    }

    private static async Task History(HttpContext http, IGrainFactory grains, string model)
    {
        var info = await ModelLookup.Existing(grains, model);
        var histories = await Task.WhenAll(info.Versions.Select(v => grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, v.Version)).GetHistory()));
        var body = new HistoryBody(info.Name, [.. info.Versions.Select((v, i) => new VersionHistoryBody(v.Version,
            [.. histories[i].Select(p => new MinuteBody(p.Minute.ToUnixTimeSeconds(), p.Requests, p.Errors, p.P50Ms, p.P99Ms))]))]);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, ObservabilityJsonContext.Default.HistoryBody);
    }

    private static async Task Resource(HttpContext http, string name, string contentType)
    {
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded; the build fetches it with npm pack.");
        http.Response.ContentType = contentType;
        // The file changes only with the silo's build, so browsers may keep it a day.
        http.Response.Headers.CacheControl = "public, max-age=86400";
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    /// <summary>A model's versions, each with its minutes of the last hour that saw requests, oldest first.</summary>
    internal sealed record HistoryBody(string Model, VersionHistoryBody[] Versions);

    internal sealed record VersionHistoryBody(string Version, MinuteBody[] Minutes);

    /// <summary>A minute: <c>t</c> its start in Unix seconds (what uPlot's time axis takes).</summary>
    internal sealed record MinuteBody(
        [property: JsonPropertyName("t")] long Start,
        long Requests,
        long Errors,
        [property: JsonPropertyName("p50_ms")] double P50Ms,
        [property: JsonPropertyName("p99_ms")] double P99Ms);
}
