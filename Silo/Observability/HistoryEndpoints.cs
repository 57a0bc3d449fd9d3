using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Serialization;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Observability;

/// <summary>
/// <c>GET /api/models/{m}/history</c>: each version's last hour per minute from its statistics grain's ring (requests, errors,
/// p50/p99, drift score) and, with a quality config, its quality statistics grain's ring (accuracy or MAE of the labels that arrived), so the status page draws history recorded before it was opened; and uPlot, the charting library the page draws it
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
        var qualities = await Task.WhenAll(info.Versions.Select(v => v.Registration.Config.Quality is null
            ? Task.FromResult<ImmutableArray<QualityMinute>?>(null)
            : Quality(grains.GetGrain<IQualityStatsGrain>(GrainKeys.Version(model, v.Version)))));
        var body = new HistoryBody(info.Name, [.. info.Versions.Select((v, i) => new VersionHistoryBody(v.Version,
            [.. histories[i].Select(p => new MinuteBody(p.Minute.ToUnixTimeSeconds(), p.Requests, p.Errors, p.P50Ms, p.P99Ms, p.DriftScore))],
            qualities[i] is { } minutes ? [.. minutes.Select(q => QualityBody(v.Version, v.Registration.Config.Quality!, q))] : null))]);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, ObservabilityJsonContext.Default.HistoryBody);
    }

    private static async Task<ImmutableArray<QualityMinute>?> Quality(IQualityStatsGrain grain) => await grain.GetHistory();

    /// <summary>A minute's figures, derived from its sums as <c>/api/models/{m}/quality</c> derives a window's.</summary>
    private static QualityMinuteBody QualityBody(string version, QualityConfig config, QualityMinute minute)
    {
        var figures = QualityFigures.Of(version, config, minute.Summary);
        return new QualityMinuteBody(minute.Minute.ToUnixTimeSeconds(), figures.Labelled, figures.Accuracy, figures.Mae);
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

    /// <summary><c>quality</c>: the minutes in which labels arrived, oldest first; null for a version without a quality config.</summary>
    internal sealed record VersionHistoryBody(string Version, MinuteBody[] Minutes, QualityMinuteBody[]? Quality);

    /// <summary>A minute: <c>t</c> its start in Unix seconds (what uPlot's time axis takes).</summary>
    internal sealed record MinuteBody(
        [property: JsonPropertyName("t")] long Start,
        long Requests,
        long Errors,
        [property: JsonPropertyName("p50_ms")] double P50Ms,
        [property: JsonPropertyName("p99_ms")] double P99Ms,
        double? DriftScore);

    /// <summary>A minute of labels: <c>accuracy</c> for a classifier, <c>mae</c> for a regression, the other null.</summary>
    internal sealed record QualityMinuteBody([property: JsonPropertyName("t")] long Start, long Labelled, double? Accuracy, double? Mae);
}
