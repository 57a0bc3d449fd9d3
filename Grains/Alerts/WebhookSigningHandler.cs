using System.Globalization;

namespace Cluster.Alerts;

/// <summary>
/// Runs inside the retry handler, so once per attempt: stamps the attempt's time and number, signs
/// the body with that time, and counts the attempt and its status for the delivery log.
/// </summary>
internal sealed class WebhookSigningHandler(TimeProvider time) : DelegatingHandler
{
    /// <summary>Header with the attempt's number, from 1.</summary>
    public const string AttemptHeader = "X-Cluster-Attempt";

    /// <summary>Where <see cref="WebhookSender"/> leaves what this handler needs on the request.</summary>
    public static readonly HttpRequestOptionsKey<WebhookAttempts> Attempts = new("Cluster.Alerts.WebhookAttempts");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Attempts, out var attempts)) return await base.SendAsync(request, cancellationToken);
        var number = attempts.Next();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        // The retry handler sends the same message again: replace the previous attempt's headers, never add to them.
        Set(request, AttemptHeader, number.ToString(CultureInfo.InvariantCulture));
        Set(request, WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        if (attempts.Secret is { } secret) Set(request, WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, attempts.Body));
        var response = await base.SendAsync(request, cancellationToken);
        attempts.LastStatus = (int)response.StatusCode;
        return response;
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
