using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Audit;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Scaling;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Management;

/// <summary>Replica counts without a reload (<c>.../scale</c>) and what a version's autoscaler sees and decided.</summary>
internal static class ScalingEndpoints
{
    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder admin)
    {
        admin.MapPost("/api/models/{model}/versions/{version}/scale", Scale);
        read.MapGet("/api/models/{model}/versions/{version}/autoscaling", Status);
    }

    private static async Task Scale(HttpContext http, IGrainFactory grains, string model, string version)
    {
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        int replicas;
        try
        {
            using var document = JsonDocument.Parse(body);
            replicas = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("replicas", out var value)
                && value.ValueKind == JsonValueKind.Number
                && value.TryGetInt32(out var count) ? count : -1;
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
        if (replicas < 0) throw new InvalidInferenceRequestException("The body must be {\"replicas\": <0..64>}.");
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{model}'.");
        var scaled = await grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version)).Scale(replicas, $"set by {AuditActor.Current}");
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, ModelJson.Version(scaled, detailed: false), ManagementJsonContext.Default.VersionBody);
    }

    private static async Task Status(HttpContext http, IGrainFactory grains, string model, string version)
    {
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        var entry = info.Resolve(version) ?? throw new ModelNotFoundException(info.Exists ? $"Model '{model}' has no version or label '{version}'." : $"Unknown model '{model}'.");
        var status = await grains.GetGrain<IAutoscalerGrain>(GrainKeys.Version(model, entry.Version)).GetStatus();
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, Body(status), ManagementJsonContext.Default.AutoscalerBody);
    }

    private static AutoscalerBody Body(AutoscalerStatus status) => new(
        status.Model,
        status.Version,
        status.Settings is not null,
        status.Settings is { } settings ? ModelJson.Autoscaling(settings) : null,
        status.Replicas,
        status.Desired,
        Math.Round(status.Load, 3),
        status.Silos,
        new ColdStartsBody(status.ColdStarts, Math.Round(status.LastColdStartMs, 1), Math.Round(status.MaxColdStartMs, 1)),
        [.. status.Decisions.Select(d => new DecisionBody(d.At, d.From, d.To, Math.Round(d.Load, 3), d.Reason, d.Predictive, d.Forecast is { } forecast ? Math.Round(forecast, 3) : null))]);

    /// <summary>What a version's autoscaler sees and decided; <c>settings</c> only while it is enabled.</summary>
    internal sealed record AutoscalerBody(
        string Model,
        string Version,
        bool Enabled,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ModelJson.AutoscalingBody? Settings,
        int Replicas,
        int Desired,
        double Load,
        int ReportingSilos,
        ColdStartsBody ColdStarts,
        DecisionBody[] Decisions);

    internal sealed record ColdStartsBody(long Count, double LastMs, double MaxMs);

    /// <summary>A replica change; <c>forecast</c> (the load the forecast expected) only where one was made.</summary>
    internal sealed record DecisionBody(DateTimeOffset At, int From, int To, double Load, string Reason, bool Predictive,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Forecast);
}
