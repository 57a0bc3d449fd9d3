using System.Globalization;
using System.Threading.RateLimiting;
using Cluster.Audit;
using Cluster.Security;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Security;

/// <summary>
/// Checks the API key (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>) against the scope and
/// model a request needs: 401 without a valid key, 403 when the key lacks the scope or the model,
/// 429 with Retry-After past the key's rate. The key's id becomes the audit actor of every grain
/// call the request makes (<c>anonymous</c> on an open gateway), except for inference: it changes
/// nothing that is audited, and the actor would ride along in every message it sends.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyCache keys, SecuritySettings settings, bool required) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(id =>
        settings.RequestsPerSecondPerKey <= 0
            ? RateLimitPartition.GetNoLimiter(id)
            : RateLimitPartition.GetTokenBucketLimiter(id, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.BurstPerKey,
                TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(settings.RequestsPerSecondPerKey / 10)),
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public async Task InvokeAsync(HttpContext context)
    {
        var (scope, model) = RequiredAccess.Of(context.Request);
        if (!required)
        {
            if (scope != ApiKeyScope.Infer) AuditActor.Set("anonymous");
            await next(context);
            return;
        }
        if (scope == ApiKeyScope.None)
        {
            await next(context);
            return;
        }
        var presented = Presented(context.Request);
        if (presented is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await JsonResults.Error(context.Response, StatusCodes.Status401Unauthorized, "An API key is required: send \"Authorization: Bearer <key>\" or \"X-Api-Key: <key>\".");
            return;
        }
        await keys.Loaded;
        if (keys.Find(presented) is not { } key)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await JsonResults.Error(context.Response, StatusCodes.Status401Unauthorized, "The API key is unknown or revoked.");
            return;
        }
        if (!key.Allows(scope))
        {
            await JsonResults.Error(context.Response, StatusCodes.Status403Forbidden, $"Key {key.Id} lacks the '{scope.ToString().ToLowerInvariant()}' scope this request needs.");
            return;
        }
        if (model is not null && !key.Covers(model))
        {
            await JsonResults.Error(context.Response, StatusCodes.Status403Forbidden, $"Key {key.Id} is not allowed to use model '{model}'.");
            return;
        }
        using var lease = _limiter.AttemptAcquire(key.Id);
        if (!lease.IsAcquired)
        {
            var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await JsonResults.Error(context.Response, StatusCodes.Status429TooManyRequests, $"Key {key.Id} exceeded its rate of {settings.RequestsPerSecondPerKey} requests per second.");
            return;
        }
        context.Items[typeof(ApiKeyInfo)] = key;
        if (scope != ApiKeyScope.Infer) AuditActor.Set($"key:{key.Id}");
        await next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7) return authorization[7..].Trim();
        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    public void Dispose() => _limiter.Dispose();
}
