using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Quality;
using Cluster.Repository;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Quality;

/// <summary>
/// <c>POST /api/models/{m}/ground-truth</c> with <c>{"labels": [{"id": "&lt;request id&gt;", "label": 3 | "cat"}, …]}</c>
/// (or <c>"value": 1.7</c> for regression), up to 10,000 a call: 200 with how many matched, were unknown or duplicates.
/// </summary>
internal static class GroundTruthEndpoints
{
    private const string Expected = "The body must be {\"labels\": [{\"id\": \"<request id>\", \"label\": <class index or name>} or {\"id\": ..., \"value\": <number>}, ...]}.";

    public static void Map(IEndpointRouteBuilder infer)
    {
        infer.MapPost("/api/models/{model}/ground-truth", async (HttpContext http, IGrainFactory grains, string model) =>
        {
            if (!ModelNames.IsValid(model)) throw new ModelNotFoundException($"Unknown model '{model}'.");
            var labels = Read(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
            var result = await grains.GetGrain<IQualityGrain>(model).Submit(labels);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK,
                new GroundTruthBody(result.Received, result.Matched, result.Unknown, result.Duplicates), QualityJsonContext.Default.GroundTruthBody);
        });
    }

    /// <summary>The answer: what became of the labels.</summary>
    internal sealed record GroundTruthBody(int Received, int Matched, int Unknown, int Duplicates);

    private static ImmutableArray<GroundTruthLabel> Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("labels", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidInferenceRequestException(Expected);
            }
            var count = items.GetArrayLength();
            if (count > GroundTruthLabel.MaxPerCall)
            {
                throw new InvalidInferenceRequestException($"{count} labels in one call; at most {GroundTruthLabel.MaxPerCall} are allowed.");
            }
            var labels = ImmutableArray.CreateBuilder<GroundTruthLabel>(count);
            var index = 0;
            foreach (var item in items.EnumerateArray()) labels.Add(Read(item, index++));
            return labels.MoveToImmutable();
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    private static GroundTruthLabel Read(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInferenceRequestException($"labels[{index}] must be an object with a string 'id'. {Expected}");
        }
        var hasLabel = item.TryGetProperty("label", out var label);
        var hasValue = item.TryGetProperty("value", out var value);
        if (hasLabel == hasValue) throw new InvalidInferenceRequestException($"labels[{index}] needs exactly one of 'label' and 'value'.");
        if (hasValue)
        {
            return value.ValueKind == JsonValueKind.Number
                ? new GroundTruthLabel(id.GetString()!, Value: value.GetDouble())
                : throw new InvalidInferenceRequestException($"labels[{index}].value must be a number.");
        }
        return label.ValueKind switch
        {
            JsonValueKind.String => new GroundTruthLabel(id.GetString()!, ClassName: label.GetString()),
            JsonValueKind.Number when label.TryGetInt32(out var number) => new GroundTruthLabel(id.GetString()!, Class: number),
            _ => throw new InvalidInferenceRequestException($"labels[{index}].label must be a class index (an integer) or a class name."),
        };
    }
}
