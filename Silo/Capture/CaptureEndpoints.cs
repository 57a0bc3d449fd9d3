using System.Buffers;
using System.Globalization;
using System.Text;
using Cluster.Capture;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Repository;

namespace Cluster.Silo.Capture;

/// <summary>
/// <c>GET /api/models/{model}/captures[?version=&amp;from=&amp;to=&amp;limit=]</c> (capture scope or admin): the model's captured
/// predictions as NDJSON, one record a line, oldest first, streamed as they are read. The capture grain audits each export.
/// </summary>
internal static class CaptureEndpoints
{
    private const int FlushBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder capture)
    {
        capture.MapGet("/api/models/{model}/captures", Export);
    }

    private static async Task Export(HttpContext http, IGrainFactory grains, string model, string? version, string? from, string? to, int? limit)
    {
        if (!ModelNames.IsValid(model)) throw new ModelNotFoundException($"Unknown model '{model}'.");
        var query = new CaptureQuery(version, Time(from, "from"), Time(to, "to"), limit ?? CaptureQuery.DefaultLimit);
        await using var lines = grains.GetGrain<ICaptureGrain>(model).Export(query, http.RequestAborted).GetAsyncEnumerator(http.RequestAborted);
        // The first record is fetched before anything is written, so a refused query still gets its error status.
        var any = await lines.MoveNextAsync();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/x-ndjson";
        var body = http.Response.BodyWriter;
        var pending = 0L;
        for (; any; any = await lines.MoveNextAsync())
        {
            pending += Encoding.UTF8.GetBytes(lines.Current, body) + 1;
            body.Write("\n"u8);
            if (pending < FlushBytes) continue;
            await body.FlushAsync(http.RequestAborted);
            pending = 0;
        }
        await body.FlushAsync(http.RequestAborted);
    }

    private static DateTimeOffset? Time(string? value, string name)
    {
        if (value is null) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new InvalidInferenceRequestException($"{name} must be a time such as 2026-01-31T12:00:00Z.");
    }
}
