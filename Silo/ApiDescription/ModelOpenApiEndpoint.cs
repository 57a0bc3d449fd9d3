using Cluster.Silo.Gateway;

namespace Cluster.Silo.ApiDescription;

/// <summary><c>GET /v2/models/{model}/openapi.json[?version=]</c>: the OpenAPI document of one model version's inference.</summary>
internal static class ModelOpenApiEndpoint
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/v2/models/{model}/openapi.json", async (HttpContext http, IGrainFactory grains, string model, string? version) =>
        {
            var (_, entry) = await ModelLookup.Find(grains, model, version);
            var document = ModelOpenApiDocument.Build(model, entry, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}");
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(document.ToJsonString(), http.RequestAborted);
        });
    }
}
