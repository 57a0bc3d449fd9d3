using System.Text.Json;
using Cluster.Cost;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Cost;

/// <summary>
/// <c>GET /api/cost[?window=1h|24h|7d]</c>: every version's utilization, estimated cost and right-sizing advice;
/// <c>POST /api/cost/recommendations/apply</c> with <c>{"model", "version", "kind"[, "window"]}</c>: applies one piece of advice.
/// </summary>
internal static class CostEndpoints
{
    private const string Expected = "The body must be {\"model\": \"<name>\", \"version\": \"<version>\", \"kind\": \"unused|under_utilized|overloaded|batching_headroom\"[, \"window\": \"1h|24h|7d\"]}.";

    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder admin)
    {
        read.MapGet("/api/cost", async (HttpContext http, IGrainFactory grains, string? window) =>
        {
            var report = await grains.GetGrain<ICostGrain>(GrainKeys.Registry).GetReport(window ?? CostWindow.Default);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, CostJson.Report(report), CostJsonContext.Default.ReportBody);
        });
        admin.MapPost("/api/cost/recommendations/apply", async (HttpContext http, IGrainFactory grains) =>
        {
            var (model, version, kind, window) = Read(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
            var applied = await grains.GetGrain<ICostGrain>(GrainKeys.Registry).Apply(model, version, kind, window);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, new CostJson.AppliedBody(true, CostJson.Recommendation(applied)), CostJsonContext.Default.AppliedBody);
        });
    }

    private static (string Model, string Version, string Kind, string Window) Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException(Expected);
            return (Text(root, "model") ?? throw new InvalidInferenceRequestException(Expected),
                Text(root, "version") ?? throw new InvalidInferenceRequestException(Expected),
                Text(root, "kind") ?? throw new InvalidInferenceRequestException(Expected),
                Text(root, "window") ?? CostWindow.Default);
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
