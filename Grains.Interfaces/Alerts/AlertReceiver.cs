namespace Cluster.Alerts;

/// <summary>A webhook that is told when alerts are raised and cleared.</summary>
/// <param name="Url">Absolute http or https URL the payload is POSTed to.</param>
/// <param name="Secret">Key of the HMAC-SHA256 signature; null sends unsigned payloads.</param>
[GenerateSerializer, Immutable, Alias("Cluster.AlertReceiver")]
public sealed record AlertReceiver(string Url, string? Secret)
{
    /// <summary>
    /// Stable identity of the receiver, derived from its URL: the same URL keeps its delivery grain,
    /// log and record of what it was sent, whatever else the receiver list does.
    /// </summary>
    public string Id => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Url)))[..16];
}
