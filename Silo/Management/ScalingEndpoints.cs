using System.Text.Json;
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
        var scaled = await grains.GetGrain<IModelGrain>(model).Scale(version, replicas, $"set by {AuditActor.Current}");
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w => ManagementJsonWriter.WriteVersion(w, scaled, detailed: false));
    }

    private static async Task Status(HttpContext http, IGrainFactory grains, string model, string version)
    {
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        var entry = info.Resolve(version) ?? throw new ModelNotFoundException(info.Exists ? $"Model '{model}' has no version or label '{version}'." : $"Unknown model '{model}'.");
        var status = await grains.GetGrain<IAutoscalerGrain>(GrainKeys.Version(model, entry.Version)).GetStatus();
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w => Write(w, status));
    }

    private static void Write(Utf8JsonWriter w, AutoscalerStatus status)
    {
        w.WriteStartObject();
        w.WriteString("model", status.Model);
        w.WriteString("version", status.Version);
        w.WriteBoolean("enabled", status.Settings is not null);
        if (status.Settings is { } settings)
        {
            w.WritePropertyName("settings");
            ManagementJsonWriter.WriteAutoscaling(w, settings);
        }
        w.WriteNumber("replicas", status.Replicas);
        w.WriteNumber("desired", status.Desired);
        w.WriteNumber("load", Math.Round(status.Load, 3));
        w.WriteNumber("reporting_silos", status.Silos);
        w.WriteStartObject("cold_starts");
        w.WriteNumber("count", status.ColdStarts);
        w.WriteNumber("last_ms", Math.Round(status.LastColdStartMs, 1));
        w.WriteNumber("max_ms", Math.Round(status.MaxColdStartMs, 1));
        w.WriteEndObject();
        w.WriteStartArray("decisions");
        foreach (var decision in status.Decisions)
        {
            w.WriteStartObject();
            w.WriteString("at", decision.At);
            w.WriteNumber("from", decision.From);
            w.WriteNumber("to", decision.To);
            w.WriteNumber("load", Math.Round(decision.Load, 3));
            w.WriteString("reason", decision.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
