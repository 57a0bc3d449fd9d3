using Cluster.Errors;
using Grpc.Core;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>REST's errors as gRPC status codes, with the same messages.</summary>
internal static class GrpcErrors
{
    /// <summary>The trailer of a RESOURCE_EXHAUSTED answer saying, in milliseconds, when to retry.</summary>
    public const string RetryAfterTrailer = "retry-after-ms";

    public static async Task<T> Map<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (QueueFullException full)
        {
            // REST says when to come back in Retry-After; gRPC has no such header, so the trailer carries it.
            throw new RpcException(new Status(StatusCode.ResourceExhausted, full.Message),
                new Metadata { { RetryAfterTrailer, ((long)Math.Ceiling(full.RetryAfter.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        }
        catch (Exception ex) when (Code(ex) is { } code)
        {
            throw new RpcException(new Status(code, ex.Message));
        }
    }

    private static StatusCode? Code(Exception ex) => ex switch
    {
        InvalidInferenceRequestException => StatusCode.InvalidArgument,
        ModelNotFoundException => StatusCode.NotFound,
        ModelNotReadyException or ReplicaRetiredException => StatusCode.Unavailable,
        QueueFullException => StatusCode.ResourceExhausted,
        DeadlineExceededException => StatusCode.DeadlineExceeded,
        ConflictException => StatusCode.FailedPrecondition,
        InferenceException => StatusCode.Internal,
        OperationCanceledException => StatusCode.Cancelled,
        TimeoutException => StatusCode.DeadlineExceeded,
        Orleans.Runtime.OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException => StatusCode.Unavailable,
        _ => null,
    };
}
