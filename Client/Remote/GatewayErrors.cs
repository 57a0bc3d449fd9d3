using System.Net;
using System.Text.Json;
using Cluster.Errors;
using Grpc.Core;

namespace Cluster.Client.Remote;

/// <summary>
/// The gateway's refusals as the exceptions the in-cluster client throws, so code written against one
/// mode runs unchanged in the other: the reverse of the gateway's own mapping of those exceptions.
/// </summary>
internal static class GatewayErrors
{
    // A 429 without Retry-After (a rate limit may omit it): the shortest wait worth making.
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromMilliseconds(100);

    public static Exception FromHttp(HttpStatusCode status, string message, TimeSpan? retryAfter) => (int)status switch
    {
        400 or 411 or 413 or 415 => new InvalidInferenceRequestException(message),
        401 or 403 => new UnauthorizedAccessException(message),
        404 => new ModelNotFoundException(message),
        409 => new ConflictException(message),
        429 => new QueueFullException(message, retryAfter ?? DefaultRetryAfter),
        502 or 503 => new ModelNotReadyException(message),
        504 => new DeadlineExceededException(message),
        _ => new InferenceFailedException($"The gateway answered {(int)status}: {message}"),
    };

    public static Exception FromGrpc(RpcException ex, Uri gateway) => ex.StatusCode switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => new InvalidInferenceRequestException(ex.Status.Detail),
        StatusCode.NotFound => new ModelNotFoundException(ex.Status.Detail),
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists => new ConflictException(ex.Status.Detail),
        StatusCode.ResourceExhausted => new QueueFullException(ex.Status.Detail, RetryAfter(ex) ?? DefaultRetryAfter),
        StatusCode.DeadlineExceeded => new DeadlineExceededException(ex.Status.Detail),
        StatusCode.PermissionDenied or StatusCode.Unauthenticated => new UnauthorizedAccessException(ex.Status.Detail),
        StatusCode.Cancelled => new OperationCanceledException(ex.Status.Detail, ex),
        // No connection at all is the caller's network, not a model that is not ready.
        StatusCode.Unavailable when ex.Status.DebugException is HttpRequestException unreachable =>
            new HttpRequestException($"The gateway at {gateway} could not be reached: {unreachable.Message}", unreachable),
        StatusCode.Unavailable => new ModelNotReadyException(ex.Status.Detail),
        _ => new InferenceFailedException($"The gateway answered {ex.StatusCode}: {ex.Status.Detail}"),
    };

    /// <summary>The gateway's <c>retry-after-ms</c> trailer on a full queue.</summary>
    private static TimeSpan? RetryAfter(RpcException ex) =>
        long.TryParse(ex.Trailers.GetValue("retry-after-ms"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    /// <summary>The gateway's <c>{"error": "..."}</c> message, else the body as text.</summary>
    public static string Message(byte[] body, HttpStatusCode status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not the gateway's JSON (a proxy's page): the text is the best message there is.
        }
        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return text.Length == 0 ? $"{(int)status} {status}" : text;
    }
}
