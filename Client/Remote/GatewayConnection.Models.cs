using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Models;

namespace Cluster.Client.Remote;

/// <summary>Models, versions, labels, scaling and traffic through the management API.</summary>
internal sealed partial class GatewayConnection
{
    public async Task<ImmutableArray<string>> ListModels()
    {
        using var models = await Send(HttpMethod.Get, "api/models");
        return [.. models!.RootElement.EnumerateArray().Select(m => m.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
    }

    public async Task<ModelInfo> GetModel(string model)
    {
        var modelCall = Send(HttpMethod.Get, $"api/models/{Segment(model)}");
        var trafficCall = Send(HttpMethod.Get, $"api/models/{Segment(model)}/traffic");
        using var body = await modelCall;
        using var traffic = await trafficCall;
        return ModelJsonReader.Model(body!.RootElement, ModelJsonReader.Traffic(traffic!.RootElement));
    }

    public async Task<ModelVersionInfo> Upload(string model, string version, byte[] onnx, string? label)
    {
        var path = $"api/models/{Segment(model)}/versions/{Segment(version)}" + (label is null ? "" : $"?label={Uri.EscapeDataString(label)}");
        using var body = await Send(HttpMethod.Post, path, () => new ByteArrayContent(onnx) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        return ModelJsonReader.Version(body!.RootElement);
    }

    /// <summary>Loads a version; one that fails to load is an answer (status failed, with its reason), not an error, as in-cluster.</summary>
    public async Task<ModelVersionInfo> Load(string model, string version)
    {
        using var body = await Send(HttpMethod.Post, $"{VersionPath(model, version)}/load", acceptServiceUnavailable: true);
        return ModelJsonReader.Version(body!.RootElement);
    }

    public async Task<ModelVersionInfo> Unload(string model, string version)
    {
        using var body = await Send(HttpMethod.Post, $"{VersionPath(model, version)}/unload");
        return ModelJsonReader.Version(body!.RootElement);
    }

    public async Task Delete(string model, string version, bool force)
    {
        using var _ = await Send(HttpMethod.Delete, VersionPath(model, version) + (force ? "?force=true" : ""));
    }

    public async Task<ModelVersionInfo> Scale(string model, string version, int replicas)
    {
        using var body = await Send(HttpMethod.Post, $"{VersionPath(model, version)}/scale", () => Json(new { replicas }));
        return ModelJsonReader.Version(body!.RootElement);
    }

    public async Task<ModelInfo> SetLabel(string model, string label, string version)
    {
        using var _ = await Send(HttpMethod.Put, $"api/models/{Segment(model)}/labels/{Segment(label)}", () => Json(new { version }));
        return await GetModel(model);
    }

    public async Task<ModelInfo> SetTraffic(string model, TrafficPolicy traffic)
    {
        var body = new Dictionary<string, object?>
        {
            ["weights"] = traffic.Weights,
            ["sticky"] = traffic.Sticky,
            ["shadows"] = traffic.ShadowTargets.Select(s => new { version = s.Version, fraction = s.Fraction }).ToArray(),
            ["bandit"] = traffic.Bandit is { } bandit ? new { exploration = bandit.Exploration } : false,
        };
        using var _ = await Send(HttpMethod.Put, $"api/models/{Segment(model)}/traffic", () => Json(body));
        return await GetModel(model);
    }

    public async Task<ModelInfo> SetConfig(string model, ModelConfig config)
    {
        var text = ModelConfigJsonWriter.Write(config).ToJsonString();
        using var _ = await Send(HttpMethod.Put, $"api/models/{Segment(model)}/config", () => new StringContent(text, System.Text.Encoding.UTF8, "application/json"));
        return await GetModel(model);
    }

    /// <summary>False when the model served no such request lately, as in-cluster.</summary>
    public async Task<bool> SendFeedback(string model, string requestId, double reward)
    {
        try
        {
            using var _ = await Send(HttpMethod.Post, $"api/models/{Segment(model)}/feedback", () => Json(new { id = requestId, reward }));
            return true;
        }
        catch (ModelNotFoundException)
        {
            return false;
        }
    }

    private static string VersionPath(string model, string version) => $"api/models/{Segment(model)}/versions/{Segment(version)}";

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static ByteArrayContent Json<T>(T body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
