using System.Net.Http.Headers;
using Polly.Timeout;

namespace Cluster.Alerts;

/// <summary>POSTs one transition to one receiver through the <c>alert-webhooks</c> client (retries, backoff, per-attempt timeout and signing).</summary>
public sealed class WebhookSender(IHttpClientFactory clients)
{
    /// <summary>Name of the configured HTTP client.</summary>
    public const string ClientName = "alert-webhooks";

    /// <summary>Header with the transition's id, which receivers deduplicate by.</summary>
    public const string DeliveryHeader = "X-Cluster-Delivery";

    /// <summary>Header with <c>alert.raised</c> or <c>alert.cleared</c>.</summary>
    public const string EventHeader = "X-Cluster-Event";

    /// <summary>Sends until the receiver answers 2xx, refuses with another 4xx, or the attempts are spent; never throws for the receiver's faults.</summary>
    public async Task<WebhookResult> Send(AlertReceiver receiver, AlertTransition transition, CancellationToken cancellationToken)
    {
        var attempts = new WebhookAttempts(WebhookPayload.Serialize(transition), receiver.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(attempts.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(DeliveryHeader, transition.Id);
        request.Headers.TryAddWithoutValidation(EventHeader, "alert." + transition.State);
        request.Options.Set(WebhookSigningHandler.Attempts, attempts);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var delivered = response.IsSuccessStatusCode;
            return new WebhookResult((int)response.StatusCode, attempts.Count, delivered, delivered ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new WebhookResult(attempts.LastStatus, attempts.Count, false, ex.Message);
        }
    }
}
