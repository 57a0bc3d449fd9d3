using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cluster.Silo.ApiDescription;

/// <summary>The document's title, what it describes, and the API-key scheme operations refer to.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Cluster gateway",
            Version = "v1",
            Description = "KServe Open Inference Protocol v2 (REST) and the management API of the Cluster inference gateway. "
                + "Each model's own inference schema is at /v2/models/{model}/openapi.json.",
        };
        // The tags operations carry (by feature), in place of the generator's (by class).
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).SelectMany(o => o.Tags ?? Enumerable.Empty<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag { Name = name }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (ck_<id>_<secret>) as Authorization: Bearer <key>, or in X-Api-Key.",
        };
        return Task.CompletedTask;
    }
}
