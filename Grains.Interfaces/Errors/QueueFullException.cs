namespace Cluster.Errors;

/// <summary>The version's queue is full; retry after a short pause (HTTP 429 with Retry-After).</summary>
[GenerateSerializer, Alias("Cluster.QueueFullException")]
public sealed class QueueFullException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public QueueFullException(string message, TimeSpan retryAfter) : base(message) => RetryAfter = retryAfter;

    /// <summary>A pause after which a retry has a fair chance.</summary>
    [Id(0)] public TimeSpan RetryAfter { get; private set; }
}
