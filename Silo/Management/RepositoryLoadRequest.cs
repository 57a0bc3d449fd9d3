using System.Text.Json;
using Cluster.Errors;

namespace Cluster.Silo.Management;

/// <summary>
/// The body of Triton's repository load request: <c>{"parameters": {"config": "&lt;config.json text&gt;",
/// "file:&lt;version&gt;/model.onnx": "&lt;base64&gt;"}}</c>, all optional. A config overrides the model's
/// configuration before it loads; files bring a version's model with them, and (as in Triton) need a config.
/// </summary>
internal sealed record RepositoryLoadRequest(string? Config, IReadOnlyList<(string Version, byte[] Onnx)> Files)
{
    private const string FilePrefix = "file:";
    private const string ModelFile = "/model.onnx";

    public static RepositoryLoadRequest Parse(byte[] body)
    {
        if (body.Length == 0) return new(null, []);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Invalid("The load request must be a JSON object.");
            if (!document.RootElement.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null) return new(null, []);
            if (parameters.ValueKind != JsonValueKind.Object) throw Invalid("'parameters' must be an object.");
            string? config = null;
            var files = new List<(string, byte[])>();
            foreach (var parameter in parameters.EnumerateObject())
            {
                if (parameter.Value.ValueKind != JsonValueKind.String) throw Invalid($"Parameter '{parameter.Name}' must be a string.");
                if (parameter.Name == "config")
                {
                    config = parameter.Value.GetString();
                }
                else if (parameter.Name.StartsWith(FilePrefix, StringComparison.Ordinal))
                {
                    files.Add((FileVersion(parameter.Name), FileBytes(parameter.Name, parameter.Value)));
                }
                else
                {
                    throw Invalid($"Unknown load parameter '{parameter.Name}'; known: 'config' and 'file:<version>/model.onnx'.");
                }
            }
            if (files.Count > 0 && config is null) throw Invalid("A load request with file overrides needs a 'config' override too.");
            return new(config, files);
        }
        catch (JsonException ex)
        {
            throw Invalid($"The load request is not valid JSON: {ex.Message}");
        }
    }

    private static string FileVersion(string name)
    {
        var path = name[FilePrefix.Length..];
        if (!path.EndsWith(ModelFile, StringComparison.Ordinal) || path.Length == ModelFile.Length || path[..^ModelFile.Length].Contains('/'))
        {
            throw Invalid($"File override '{name}' is not supported; give a version's ONNX file as 'file:<version>/model.onnx'.");
        }
        return path[..^ModelFile.Length];
    }

    private static byte[] FileBytes(string name, JsonElement value)
    {
        if (!value.TryGetBytesFromBase64(out var bytes) || bytes.Length == 0) throw Invalid($"File override '{name}' must be the file's bytes in base64.");
        return bytes;
    }

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
