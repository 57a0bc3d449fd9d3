using System.Collections.Immutable;
using Cluster.Errors;

namespace Cluster.Alerts;

/// <summary>What a receiver list must be before it is stored: few, absolute http(s) URLs, each once, short secrets.</summary>
public static class AlertReceiverRules
{
    /// <summary>Most receivers a cluster keeps; each has its own delivery grain and log.</summary>
    public const int MaxReceivers = 16;

    /// <summary>Longest secret accepted.</summary>
    public const int MaxSecretLength = 256;

    /// <summary>Throws <see cref="InvalidInferenceRequestException"/> naming the first problem.</summary>
    public static void Check(ImmutableArray<AlertReceiver> receivers)
    {
        if (receivers.IsDefault) throw new InvalidInferenceRequestException("The receiver list is missing.");
        if (receivers.Length > MaxReceivers) throw new InvalidInferenceRequestException($"At most {MaxReceivers} receivers; got {receivers.Length}.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var receiver in receivers)
        {
            if (!Uri.TryCreate(receiver.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidInferenceRequestException($"'{receiver.Url}' is not an absolute http or https URL.");
            }
            if (!seen.Add(receiver.Url)) throw new InvalidInferenceRequestException($"'{receiver.Url}' is listed twice.");
            if (receiver.Secret is { } secret && (secret.Length == 0 || secret.Length > MaxSecretLength))
            {
                throw new InvalidInferenceRequestException($"A secret has 1 to {MaxSecretLength} characters (or is left out to send unsigned payloads).");
            }
        }
    }
}
