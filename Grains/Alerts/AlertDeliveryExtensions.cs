using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Cluster.Alerts;

/// <summary>Registers what alert webhooks need on a silo.</summary>
public static class AlertDeliveryExtensions
{
    /// <summary>
    /// The <c>alert-webhooks</c> HTTP client: retries of transient failures (network errors, timeouts,
    /// 408, 429, 5xx) with exponential backoff, a timeout per attempt, and signing inside the retries
    /// so every attempt carries its own timestamp. Polly takes the container's <see cref="TimeProvider"/>,
    /// so backoff follows a fake clock in tests.
    /// </summary>
    public static IServiceCollection AddAlertDelivery(this IServiceCollection services)
    {
        services.AddOptions<AlertDeliveryOptions>().BindConfiguration(AlertDeliveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AlertInstruments>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddTransient<WebhookSigningHandler>();
        // The per-attempt timeout and the attempts bound a delivery; HttpClient's own timeout would cut the retries short on real time.
        var client = services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        // Handlers run outermost first: the retries wrap the signing, so each attempt is signed afresh.
        client.AddResilienceHandler(WebhookSender.ClientName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = options.FirstRetryDelay,
                    // One sender per receiver, not a crowd: jitter would only make the schedule harder to read in the log.
                    UseJitter = false,
                    // A receiver's Retry-After could park its queue for hours; the backoff above is the schedule.
                    ShouldRetryAfterHeader = false,
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        client.AddHttpMessageHandler<WebhookSigningHandler>();
        return services;
    }
}
