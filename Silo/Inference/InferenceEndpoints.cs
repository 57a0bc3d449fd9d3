using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Repository;
using Cluster.Silo.Gateway;
using Cluster.Telemetry;
using Cluster.Tensors;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Inference;

/// <summary>The KServe Open Inference Protocol v2 REST endpoints for models and inference.</summary>
internal static class InferenceEndpoints
{
    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder infer)
    {
        // A Func, not a RequestDelegate, so the endpoint carries the handler's metadata the API description reads.
        read.MapGet("/v2", (Func<HttpContext, Task>)ServerMetadata);
        read.MapGet("/v2/models/{model}", (HttpContext http, IGrainFactory grains, string model) => Metadata(http, grains, model, null));
        read.MapGet("/v2/models/{model}/versions/{version}", Metadata);
        read.MapGet("/v2/models/{model}/ready", (HttpContext http, IGrainFactory grains, string model) => Ready(http, grains, model, null));
        read.MapGet("/v2/models/{model}/versions/{version}/ready", Ready);
        infer.MapPost("/v2/models/{model}/infer", (HttpContext http, RouterGrains routers, string model) => Infer(http, routers, model, null));
        infer.MapPost("/v2/models/{model}/versions/{version}/infer", Infer);
    }

    private static Task ServerMetadata(HttpContext http) => JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteString("name", "cluster");
        w.WriteString("version", typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString(3));
        w.WriteStartArray("extensions");
        foreach (var extension in new[] { "model_repository", "statistics", "binary_tensor_data" }) w.WriteStringValue(extension);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static async Task Metadata(HttpContext http, IGrainFactory grains, string model, string? version)
    {
        var (info, entry) = await ModelLookup.Find(grains, model, version);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w => ModelMetadataJsonWriter.Write(w, info, entry));
    }

    private static async Task Ready(HttpContext http, IGrainFactory grains, string model, string? version)
    {
        var (info, entry) = await ModelLookup.Find(grains, model, version);
        var ready = entry.Status == VersionStatus.Ready;
        await JsonResults.Write(http.Response, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", info.Name);
            w.WriteString("version", entry.Version);
            w.WriteBoolean("ready", ready);
            w.WriteEndObject();
        });
    }

    private static async Task Infer(HttpContext http, RouterGrains routers, string model, string? version)
    {
        if (!ModelNames.IsValid(model)) throw new ModelNotFoundException($"Unknown model '{model}'.");
        var limits = http.RequestServices.GetRequiredService<IOptions<GatewaySettings>>().Value;
        if (http.Request.ContentType is { } contentType
            && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpStatusException(StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{contentType}' is not accepted: send application/json, or application/octet-stream with the binary tensor data extension.");
        }
        RequestTrace.Tag(http, model, version);
        ParsedInferenceRequest parsed;
        using (InferenceTracing.Start("parse", model, version))
        {
            parsed = BinaryTensorData.DeclaredHeaderLength(http.Request, http.Request.ContentLength) is { } headerLength
                ? await BinaryRequestReader.Read(http.Request, headerLength, limits.MaxRequestBodyBytes, limits.MaxJsonDepth)
                : await ReadJson(http.Request, limits.MaxJsonDepth);
        }
        var request = parsed.Request with { TraceId = RequestTrace.TraceId(http) };
        RequestLimits.Check(request, limits);
        if (request.RoutingKey is null && http.Request.Headers.TryGetValue("X-Routing-Key", out var key) && !string.IsNullOrEmpty(key))
        {
            request = request with { RoutingKey = key.ToString() };
        }
        var response = await routers.For(model).Infer(request, version, http.RequestAborted);
        try
        {
            InferenceResponseJsonWriter.EnsureJsonCanHold(response, parsed.IsBinary);
            using var write = InferenceTracing.Start("write", model, response.ModelVersion);
            if (parsed.AnyBinary(response)) await BinaryTensorData.WriteResponse(http.Response, response, parsed.IsBinary);
            else await JsonResults.Stream(http.Response, StatusCodes.Status200OK, w => InferenceResponseJsonWriter.Write(w, response, body: http.Response.BodyWriter, cancellationToken: http.RequestAborted));
        }
        finally
        {
            // The call answered, so nothing in the cluster reads the input arrays any more (what keeps them took copies);
            // an output may be one of them (a pipeline can answer with its input), hence after the write.
            TensorBuffers.Return(request.Inputs);
        }
    }

    private static async Task<ParsedInferenceRequest> ReadJson(HttpRequest request, int maxDepth)
    {
        using var body = await RequestBody.ReadLent(request.BodyReader, request.HttpContext.RequestAborted);
        return InferenceRequestJsonReader.ReadJson(body.Span, maxDepth);
    }
}
