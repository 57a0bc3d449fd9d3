using System.Text.Json;
using Cluster.Silo.Security;
using Scalar.AspNetCore;

namespace Cluster.Silo.ApiDescription;

/// <summary>
/// The HTTP API described: an OpenAPI document at <c>/openapi/v1.json</c>, a browsable reference at
/// <c>/docs</c> (served from the silo, no CDN), and per model <c>/v2/models/{model}/openapi.json</c>.
/// </summary>
internal static class ApiDescriptionExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddApiDescription(this IServiceCollection services)
    {
        // Schemas are made from these options: the wire's snake_case. No endpoint serializes with them.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => ApiOperations.ByRoute.ContainsKey(ApiOperations.KeyOf(description));
            options.AddDocumentTransformer<ApiDocumentTransformer>();
            options.AddOperationTransformer<ApiOperationTransformer>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapApiDescription(this IEndpointRouteBuilder app)
    {
        // Describing the API gives nothing away that docs/API.md does not; a model's own schema needs read (it shows the signature).
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("Cluster gateway API").WithOpenApiRoutePattern("/openapi/{documentName}.json");
            // Everything the page needs comes from the silo: no web fonts from elsewhere.
            options.DefaultFonts = false;
        }).AllowAnonymous();
        ModelOpenApiEndpoint.Map(app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read));
        return app;
    }
}
