using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Repository;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Management;

/// <summary>
/// The management API (<c>/api/models</c>) and Triton's model-repository extension
/// (<c>/v2/repository</c>): upload, load, unload, delete versions; labels; model-wide settings.
/// Traffic policies are the Traffic feature's.
/// </summary>
internal static class ManagementEndpoints
{
    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder admin)
    {
        read.MapGet("/api/models", ListModels);
        read.MapGet("/api/models/{model}", async (HttpContext http, IGrainFactory grains, string model) =>
        {
            var info = await ModelLookup.Existing(grains, model);
            await Json(http, ModelJson.Model(info, detailed: true), ManagementJsonContext.Default.ModelBody);
        });
        admin.MapPost("/api/models/{model}/versions/{version}", Upload);
        admin.MapDelete("/api/models/{model}/versions/{version}", async (HttpContext http, IGrainFactory grains, string model, string version, bool? force) =>
        {
            await ModelLookup.Version(grains, model, version).Delete(force ?? false);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        admin.MapPost("/api/models/{model}/versions/{version}/load", async (HttpContext http, IGrainFactory grains, string model, string version) =>
        {
            var info = await ModelLookup.Version(grains, model, version).Load();
            await Json(http, ModelJson.Version(info, detailed: true), ManagementJsonContext.Default.VersionBody, info.Status == VersionStatus.Ready ? 200 : 503);
        });
        admin.MapPost("/api/models/{model}/versions/{version}/unload", async (HttpContext http, IGrainFactory grains, string model, string version) =>
        {
            var info = await ModelLookup.Version(grains, model, version).Unload();
            await Json(http, ModelJson.Version(info, detailed: false), ManagementJsonContext.Default.VersionBody);
        });
        admin.MapPut("/api/models/{model}/labels/{label}", SetLabel);
        admin.MapPut("/api/models/{model}/config", SetConfig);
        admin.MapPost("/v2/repository/index", RepositoryIndex);
        admin.MapPost("/v2/repository/models/{model}/load", RepositoryLoad);
        admin.MapPost("/v2/repository/models/{model}/unload", (HttpContext http, IGrainFactory grains, string model) => ForEveryVersion(http, grains, model, load: false));
    }

    private static async Task ListModels(HttpContext http, IGrainFactory grains)
    {
        var names = await VisibleModels.List(http, grains);
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetInfo()));
        await Json(http, [.. models.Where(m => m.Exists).Select(m => ModelJson.Model(m, detailed: false))], ManagementJsonContext.Default.ModelBodyArray);
    }

    private static async Task Upload(HttpContext http, IGrainFactory grains, IOptions<GatewaySettings> gateway, string model, string version, string? label)
    {
        if (!ModelNames.IsValid(model)) throw new InvalidInferenceRequestException($"'{model}' is not a valid model name (letters, digits, '.', '_', '-').");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = gateway.Value.MaxUploadBytes;
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        if (body.Length == 0) throw new InvalidInferenceRequestException("The body is empty; send the ONNX file's bytes (Content-Type: application/octet-stream).");
        var info = await ModelLookup.Version(grains, model, version).Upload(body, null, label);
        http.Response.Headers.Location = $"/api/models/{model}";
        await Json(http, ModelJson.Version(info, detailed: true), ManagementJsonContext.Default.VersionBody, StatusCodes.Status201Created);
    }

    private static async Task SetLabel(HttpContext http, IGrainFactory grains, string model, string label)
    {
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        string? version;
        try
        {
            using var document = JsonDocument.Parse(body);
            version = document.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
        if (version is null) throw new InvalidInferenceRequestException("The body must be {\"version\": \"<version>\"}.");
        await ModelLookup.Existing(grains, model);
        var info = await ModelLookup.Grain(grains, model).SetLabel(label, version);
        await Json(http, ModelJson.Model(info, detailed: false), ManagementJsonContext.Default.ModelBody);
    }

    private static async Task SetConfig(HttpContext http, IGrainFactory grains, string model)
    {
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        ModelConfig config;
        try
        {
            config = ModelConfigFile.Parse(Encoding.UTF8.GetString(body));
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInferenceRequestException(ex.Message);
        }
        await ModelLookup.Existing(grains, model);
        var info = await grains.SetConfigAndReload(model, config);
        await Json(http, ModelJson.Model(info, detailed: true), ManagementJsonContext.Default.ModelBody);
    }

    private static async Task RepositoryIndex(HttpContext http, IGrainFactory grains)
    {
        var readyOnly = ReadyOnly(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
        var names = await VisibleModels.List(http, grains);
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetInfo()));
        RepositoryEntry[] index = [.. models.SelectMany(m => m.Versions.Where(v => !readyOnly || v.Status == VersionStatus.Ready).Select(v => new RepositoryEntry(
            m.Name,
            v.Version,
            v.Status switch { VersionStatus.Ready => "READY", VersionStatus.Loading => "LOADING", VersionStatus.Unloaded => "UNAVAILABLE", _ => "UNAVAILABLE" },
            v.Reason ?? (v.Status == VersionStatus.Unloaded ? "unloaded" : ""))))];
        await Json(http, index, ManagementJsonContext.Default.RepositoryEntryArray);
    }

    /// <summary>The index request's <c>ready</c> flag (Triton: only versions ready for inference when true); an empty body asks for all.</summary>
    private static bool ReadyOnly(byte[] body)
    {
        if (body.Length == 0) return false;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidInferenceRequestException("The repository index request must be a JSON object, e.g. {\"ready\": true}.");
            if (!document.RootElement.TryGetProperty("ready", out var ready)) return false;
            return ready.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidInferenceRequestException("'ready' must be true or false."),
            };
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"The repository index request is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Triton's load: optional config and file overrides first, then every version of the model loads.</summary>
    private static async Task RepositoryLoad(HttpContext http, IGrainFactory grains, IOptions<GatewaySettings> gateway, string model)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = gateway.Value.MaxUploadBytes;
        var request = RepositoryLoadRequest.Parse(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
        ModelConfig? config = null;
        if (request.Config is not null)
        {
            try
            {
                config = ModelConfigFile.Parse(request.Config);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidInferenceRequestException($"The config override is not valid: {ex.Message}");
            }
        }
        if (request.Files.Count > 0 && !ModelNames.IsValid(model)) throw new InvalidInferenceRequestException($"'{model}' is not a valid model name (letters, digits, '.', '_', '-').");
        foreach (var (version, onnx) in request.Files) await ModelLookup.Version(grains, model, version).Upload(onnx, null, null);
        if (config is not null)
        {
            await ModelLookup.Existing(grains, model);
            await grains.SetConfigAndReload(model, config);
        }
        await ForEveryVersion(http, grains, model, load: true);
    }

    private static async Task ForEveryVersion(HttpContext http, IGrainFactory grains, string model, bool load)
    {
        var info = await ModelLookup.Existing(grains, model);
        var results = await Task.WhenAll(info.Versions.Select(v => load ? ModelLookup.Version(grains, model, v.Version).Load() : ModelLookup.Version(grains, model, v.Version).Unload()));
        var failed = results.FirstOrDefault(r => load && r.Status != VersionStatus.Ready);
        if (failed is not null) throw new ModelNotReadyException($"Model '{model}' version {failed.Version} did not load: {failed.Reason}");
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static Task Json<T>(HttpContext http, T body, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        JsonResults.Write(http.Response, status, body, type);

    /// <summary>A version in Triton's repository index.</summary>
    internal sealed record RepositoryEntry(string Name, string Version, string State, string Reason);
}
