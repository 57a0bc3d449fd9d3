using System.Globalization;
using System.Threading.RateLimiting;
using Cluster.Silo.Gateway;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace Cluster.Silo.Security;

/// <summary>
/// Each key's token bucket (<see cref="SecuritySettings.RequestsPerSecondPerKey"/>, <see cref="SecuritySettings.BurstPerKey"/>):
/// past it, 429 with <c>Retry-After</c>. Requests without a key, and public endpoints, are not limited.
/// </summary>
internal static class ApiKeyRateLimits
{
    public static void Configure(RateLimiterOptions options, SecuritySettings settings)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            ApiKeyAuthenticationHandler.KeyOf(http) is { } key && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
                ? RateLimitPartition.GetTokenBucketLimiter(key.Id, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.BurstPerKey,
                    TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(settings.RequestsPerSecondPerKey / 10)),
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(""));
        options.OnRejected = (context, _) =>
        {
            var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            var id = ApiKeyAuthenticationHandler.KeyOf(context.HttpContext)?.Id;
            return new ValueTask(JsonResults.Error(context.HttpContext.Response, StatusCodes.Status429TooManyRequests,
                $"Key {id} exceeded its rate of {settings.RequestsPerSecondPerKey} requests per second."));
        };
    }
}
