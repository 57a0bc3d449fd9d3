using Cluster.Errors;
using Orleans.Runtime.Messaging;

namespace Cluster.Silo.Gateway;

/// <summary>
/// Turns exceptions into <c>{"error": "..."}</c> bodies: 4xx for the caller's mistakes, 5xx only
/// for faults of ours, logged. A caller that went away gets nothing and costs no log line.
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected; there is nobody to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var (status, message) = Classify(ex);
            if (ex is QueueFullException full)
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(full.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (status >= 500) LogServerError(logger, context.Request.Method, context.Request.Path, ex);
            await JsonResults.Error(context.Response, status, message);
        }
    }

    private static (int Status, string Message) Classify(Exception ex) => ex switch
    {
        InvalidInferenceRequestException => (StatusCodes.Status400BadRequest, ex.Message),
        HttpStatusException http => (http.Status, ex.Message),
        ModelNotFoundException => (StatusCodes.Status404NotFound, ex.Message),
        ModelNotReadyException or ReplicaRetiredException => (StatusCodes.Status503ServiceUnavailable, ex.Message),
        QueueFullException => (StatusCodes.Status429TooManyRequests, ex.Message),
        ConflictException => (StatusCodes.Status409Conflict, ex.Message),
        DeadlineExceededException => (StatusCodes.Status504GatewayTimeout, ex.Message),
        InferenceException => (StatusCodes.Status500InternalServerError, ex.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? "The request body is larger than the gateway accepts (Gateway:MaxRequestBodyBytes)."
            : $"Bad request: {bad.Message}"),
        TimeoutException => (StatusCodes.Status504GatewayTimeout, $"The request timed out: {ex.Message}"),
        OrleansMessageRejectionException or ConnectionFailedException =>
            (StatusCodes.Status503ServiceUnavailable, $"A silo serving this request became unavailable ({ex.GetType().Name}); retry the request."),
        _ => (StatusCodes.Status500InternalServerError, $"Internal error ({ex.GetType().Name}): {ex.Message}"),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogServerError(ILogger logger, string method, string path, Exception exception);
}
