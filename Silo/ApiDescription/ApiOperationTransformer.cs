using Cluster.Silo.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cluster.Silo.ApiDescription;

/// <summary>
/// Gives each operation its summary, request and response schemas (from <see cref="ApiOperations"/>),
/// the <c>{"error": ...}</c> answer every refusal has, and the API-key scope it needs.
/// </summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var key = ApiOperations.KeyOf(context.Description);
        if (!ApiOperations.ByRoute.TryGetValue(key, out var api)) return;
        operation.Summary = api.Summary;
        operation.Tags = new HashSet<OpenApiTagReference> { new(ApiTags.Of(key), context.Document) };
        if (api.Request is { } request)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { [api.RequestType] = new() { Schema = await Schema(context, request, cancellationToken) } },
            };
        }
        operation.Responses ??= [];
        operation.Responses.Clear();
        var success = new OpenApiResponse { Description = ReasonPhrase(api.Status) };
        if (api.Response is { } response)
        {
            success.Content = new Dictionary<string, OpenApiMediaType> { [api.ResponseType] = new() { Schema = await Schema(context, response, cancellationToken) } };
        }
        operation.Responses[api.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "A refusal (400 bad input, 401/403 key, 404 unknown model or version, 409 conflict, 413 too large, 429 queue full, 503 not ready, 504 deadline) with its reason",
            Content = new Dictionary<string, OpenApiMediaType> { [ApiOperation.Json] = new() { Schema = await Schema(context, typeof(RequestSchemas.ErrorBody), cancellationToken) } },
        };
        Secure(operation, context);
    }

    /// <summary>The scope the endpoint's policy asks for, as a security requirement and in words; none for open endpoints.</summary>
    private static void Secure(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
            return;
        }
        var scope = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? "any valid key";
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.SchemeName, context.Document)] = [] }];
        operation.Description = scope == ApiKeyPolicies.Admin
            ? "Needs an API key with the `admin` scope where keys are required."
            : $"Needs an API key with the `{scope}` scope (or `admin`) where keys are required.";
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-scope"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(scope));
    }

    private static async Task<IOpenApiSchema> Schema(OpenApiOperationTransformerContext context, Type type, CancellationToken cancellationToken)
    {
        if (type == typeof(byte[])) return new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        if (type == typeof(string)) return new OpenApiSchema { Type = JsonSchemaType.String };
        return await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
