using Cluster.Errors;

namespace Cluster.Client.Remote;

/// <summary>
/// Tries a call again when the gateway says to come back (429 with its Retry-After, 503), a bounded
/// number of times and never waiting longer than allowed; other errors go straight to the caller.
/// </summary>
internal sealed class GatewayRetry(int maxRetries, TimeSpan maxDelay, TimeProvider time)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);

    public async Task<T> Run<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (InferenceException ex) when (retry < maxRetries && Delay(ex, retry) is { } delay)
            {
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private TimeSpan? Delay(InferenceException ex, int retry)
    {
        var delay = ex switch
        {
            QueueFullException full => full.RetryAfter,
            ModelNotReadyException => FirstBackoff * (1 << retry),
            _ => (TimeSpan?)null,
        };
        return delay is { } wait && wait <= maxDelay ? wait : null;
    }
}
