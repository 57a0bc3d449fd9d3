using System.Globalization;
using Cluster.Capture;
using Cluster.Quality;

namespace Cluster.Client.Remote;

/// <summary>Ground truth in, captured predictions out.</summary>
internal sealed partial class GatewayConnection
{
    public async Task<GroundTruthResult> SendGroundTruth(string model, IReadOnlyList<GroundTruthLabel> labels)
    {
        var items = labels.Select(l => l switch
        {
            { Value: { } value } => new Dictionary<string, object?> { ["id"] = l.Id, ["value"] = value },
            { ClassName: { } name } => new Dictionary<string, object?> { ["id"] = l.Id, ["label"] = name },
            // Without a class the gateway refuses the label and names it, as the in-cluster call does.
            _ => new Dictionary<string, object?> { ["id"] = l.Id, ["label"] = l.Class },
        }).ToArray();
        using var body = await Send(HttpMethod.Post, $"api/models/{Segment(model)}/ground-truth", () => Json(new { labels = items }));
        var result = body!.RootElement;
        return new GroundTruthResult(
            result.GetProperty("received").GetInt32(), result.GetProperty("matched").GetInt32(),
            result.GetProperty("unknown").GetInt32(), result.GetProperty("duplicates").GetInt32());
    }

    public IAsyncEnumerable<string> ExportCaptures(string model, CaptureQuery query, CancellationToken cancellationToken)
    {
        var parameters = new List<string> { $"limit={query.Limit.ToString(CultureInfo.InvariantCulture)}" };
        if (query.Version is { } version) parameters.Add($"version={Uri.EscapeDataString(version)}");
        if (query.From is { } from) parameters.Add($"from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}");
        if (query.To is { } to) parameters.Add($"to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}");
        return Lines($"api/models/{Segment(model)}/captures?{string.Join('&', parameters)}", cancellationToken);
    }
}
