using System.Text.Json.Nodes;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Silo.ApiDescription;

/// <summary>
/// An OpenAPI 3.1 document for one model version's inference: its request names each input with the
/// input's datatype and rank, its response each output, so a client generator makes a typed client
/// for that model. Data is described flat (row-major), the form every client can send.
/// </summary>
internal static class ModelOpenApiDocument
{
    public static JsonObject Build(string model, ModelVersionInfo version, string server)
    {
        var signature = version.Signature ?? new ModelSignature([], []);
        var schemas = new JsonObject();
        foreach (var input in signature.Inputs) schemas[SchemaName("input", input.Name)] = Tensor(input, withParameters: true);
        foreach (var output in signature.Outputs) schemas[SchemaName("output", output.Name)] = Tensor(output, withParameters: false);
        schemas["InferRequest"] = Request(signature);
        schemas["InferResponse"] = Response(model, signature);
        schemas["Error"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("error"),
            ["properties"] = new JsonObject { ["error"] = new JsonObject { ["type"] = "string" } },
        };
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = $"{model} inference",
                ["version"] = version.Version,
                ["description"] = $"KServe v2 inference on model '{model}', version {version.Version} ({version.Registration.Sha256[..Math.Min(12, version.Registration.Sha256.Length)]}).",
            },
            // The gateway that answered, so a generated client needs no base address.
            ["servers"] = new JsonArray(new JsonObject { ["url"] = server }),
            ["paths"] = new JsonObject
            {
                [$"/v2/models/{model}/infer"] = Path($"infer_{Identifier(model)}", versioned: false),
                [$"/v2/models/{model}/versions/{{version}}/infer"] = Path($"infer_{Identifier(model)}_version", versioned: true),
            },
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject { [ApiDocumentTransformer.SchemeName] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
            },
            ["security"] = new JsonArray(new JsonObject { [ApiDocumentTransformer.SchemeName] = new JsonArray() }),
        };
    }

    private static JsonObject Path(string operationId, bool versioned)
    {
        var operation = new JsonObject
        {
            ["operationId"] = operationId,
            ["summary"] = versioned ? "Inference on a version or label" : "Inference on the default version (or the traffic split)",
            ["requestBody"] = new JsonObject { ["required"] = true, ["content"] = Json(Ref("InferRequest")) },
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "The outputs", ["content"] = Json(Ref("InferResponse")) },
                ["default"] = new JsonObject { ["description"] = "A refusal with its reason", ["content"] = Json(Ref("Error")) },
            },
        };
        if (versioned)
        {
            operation["parameters"] = new JsonArray(new JsonObject
            {
                ["name"] = "version",
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }
        return new JsonObject { ["post"] = operation };
    }

    private static JsonObject Request(ModelSignature signature) => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("inputs"),
        ["properties"] = new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "string" },
            ["parameters"] = new JsonObject { ["type"] = "object" },
            ["inputs"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = signature.Inputs.Length,
                ["maxItems"] = signature.Inputs.Length,
                ["items"] = OneOf("input", signature.Inputs),
            },
            ["outputs"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("name"),
                    ["properties"] = new JsonObject { ["name"] = Names(signature.Outputs), ["parameters"] = new JsonObject { ["type"] = "object" } },
                },
            },
        },
    };

    private static JsonObject Response(string model, ModelSignature signature) => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("model_name", "outputs"),
        ["properties"] = new JsonObject
        {
            ["model_name"] = new JsonObject { ["type"] = "string", ["const"] = model },
            ["model_version"] = new JsonObject { ["type"] = "string" },
            ["id"] = new JsonObject { ["type"] = "string" },
            ["parameters"] = new JsonObject { ["type"] = "object" },
            ["outputs"] = new JsonObject { ["type"] = "array", ["items"] = OneOf("output", signature.Outputs) },
        },
    };

    /// <summary>One tensor: its name and datatype fixed, its shape's rank, its data's element type.</summary>
    private static JsonObject Tensor(TensorSpec spec, bool withParameters)
    {
        var properties = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string", ["const"] = spec.Name },
            ["datatype"] = new JsonObject { ["type"] = "string", ["const"] = spec.DataType.ProtocolName() },
            ["shape"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
                ["minItems"] = spec.Shape.Length,
                ["maxItems"] = spec.Shape.Length,
                ["description"] = $"[{string.Join(", ", spec.Shape.Select(d => d < 0 ? "any" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]",
            },
            ["data"] = new JsonObject { ["type"] = "array", ["items"] = Element(spec.DataType), ["description"] = "Row-major, flat" },
        };
        if (withParameters) properties["parameters"] = new JsonObject { ["type"] = "object" };
        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("name", "shape", "datatype", "data"),
            ["properties"] = properties,
        };
    }

    private static JsonObject Element(TensorDataType type) => type switch
    {
        TensorDataType.Bool => new JsonObject { ["type"] = "boolean" },
        TensorDataType.Bytes => new JsonObject { ["type"] = "string" },
        TensorDataType.FP16 or TensorDataType.FP32 or TensorDataType.FP64 => new JsonObject { ["type"] = "number" },
        _ => new JsonObject { ["type"] = "integer" },
    };

    private static JsonObject OneOf(string kind, IEnumerable<TensorSpec> specs)
    {
        var list = specs.ToList();
        var mapping = new JsonObject();
        foreach (var spec in list) mapping[spec.Name] = $"#/components/schemas/{SchemaName(kind, spec.Name)}";
        return new JsonObject
        {
            ["oneOf"] = new JsonArray([.. list.Select(s => (JsonNode)Ref(SchemaName(kind, s.Name)))]),
            ["discriminator"] = new JsonObject { ["propertyName"] = "name", ["mapping"] = mapping },
        };
    }

    private static JsonObject Names(IEnumerable<TensorSpec> specs) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray([.. specs.Select(s => (JsonNode)JsonValue.Create(s.Name))]) };

    private static JsonObject Json(JsonObject schema) => new() { ["application/json"] = new JsonObject { ["schema"] = schema } };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    /// <summary>Tensor names may hold characters schema names (and generated type names) cannot.</summary>
    private static string SchemaName(string kind, string tensor) => $"{kind}_{Identifier(tensor)}";

    private static string Identifier(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
}
