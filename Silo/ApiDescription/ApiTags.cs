namespace Cluster.Silo.ApiDescription;

/// <summary>Groups operations by feature in the document and the reference page, by route.</summary>
internal static class ApiTags
{
    private static readonly (string Marker, string Tag)[] ByMarker =
    [
        ("/v2/repository", "Model repository"),
        ("/v2", "Inference (v2)"),
        ("/api/keys", "Security"),
        ("/api/audit", "Security"),
        ("/api/alerts", "Alerts"),
        ("/traffic", "Traffic"),
        ("/rollouts", "Traffic"),
        ("/feedback", "Traffic"),
        ("/ground-truth", "Quality and monitoring"),
        ("/quality", "Quality and monitoring"),
        ("/captures", "Quality and monitoring"),
        ("/drift", "Quality and monitoring"),
        ("/reference", "Quality and monitoring"),
        ("/api/models", "Models"),
    ];

    /// <summary>The tag of <paramref name="operation"/> ("METHOD /route").</summary>
    public static string Of(string operation)
    {
        var route = operation[(operation.IndexOf(' ') + 1)..];
        foreach (var (marker, tag) in ByMarker)
        {
            if (marker.StartsWith("/v2", StringComparison.Ordinal) ? route.StartsWith(marker, StringComparison.Ordinal) : route.Contains(marker, StringComparison.Ordinal)) return tag;
        }
        return "Operations";
    }
}
