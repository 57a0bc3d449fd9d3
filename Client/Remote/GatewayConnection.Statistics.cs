using System.Text.Json;
using Cluster.Statistics;

namespace Cluster.Client.Remote;

/// <summary>A version's statistics through the observability API, in the client's own types.</summary>
internal sealed partial class GatewayConnection
{
    private static readonly JsonSerializerOptions WireNames = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <param name="model">Model name.</param>
    /// <param name="version">Version number or label; the gateway resolves it.</param>
    public async Task<VersionStatistics> GetStatistics(string model, string version)
    {
        using var body = await Send(HttpMethod.Get, $"{VersionPath(model, version)}/statistics");
        return body!.RootElement.Deserialize<VersionStatistics>(WireNames)
            ?? throw new Errors.InferenceFailedException($"The gateway sent no statistics for {model} version {version}.");
    }
}
