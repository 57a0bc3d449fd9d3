using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Models;

namespace Cluster.Repository;

/// <summary>
/// Reads <c>config.json</c>: <c>max_batch_size</c>, <c>replicas</c>, <c>device</c>, and
/// <c>labels</c> (version labels such as <c>{"stable": "1"}</c>). Unknown keys are an error, so typos surface.
/// </summary>
public static class ModelConfigFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses the file's text; throws <see cref="InvalidDataException"/> with the reason when it is wrong.</summary>
    public static ModelConfig Parse(string json)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"config.json is not valid: {ex.Message}", ex);
        }
        if (document is null) return ModelConfig.Default;
        var defaults = ModelConfig.Default;
        var config = new ModelConfig(
            document.MaxBatchSize ?? defaults.MaxBatchSize,
            document.Replicas ?? defaults.Replicas,
            document.Device,
            document.Labels?.ToImmutableDictionary(StringComparer.Ordinal) ?? defaults.Labels);
        Validate(config);
        return config;
    }

    private static void Validate(ModelConfig config)
    {
        if (config.MaxBatchSize < 0) throw new InvalidDataException("config.json: max_batch_size must be 0 or more.");
        if (config.Replicas is < 1 or > 64) throw new InvalidDataException("config.json: replicas must be between 1 and 64.");
        if (config.Device is not null && config.Device.ToLowerInvariant() is not ("auto" or "cpu" or "cuda"))
        {
            throw new InvalidDataException($"config.json: device '{config.Device}' is not auto, cpu or cuda.");
        }
        foreach (var (label, version) in config.Labels)
        {
            if (!ModelVersions.TryParse(version, out _)) throw new InvalidDataException($"config.json: label '{label}' points at '{version}', which is not a version number.");
            if (ModelVersions.TryParse(label, out _)) throw new InvalidDataException($"config.json: label '{label}' looks like a version number.");
        }
    }

    private sealed record Document(int? MaxBatchSize, int? Replicas, string? Device, Dictionary<string, string>? Labels);
}
