namespace Cluster.Errors;

/// <summary>
/// A batch reached a replica that its version no longer serves (scaled down, scaled to zero or
/// evicted) because the caller's catalog copy was a moment old; the batch is safe to send again
/// with the current count, which <see cref="ReplicasServing"/> tells.
/// </summary>
[GenerateSerializer, Alias("Cluster.ReplicaRetiredException")]
public sealed class ReplicaRetiredException : InferenceException
{
    /// <summary>Creates the exception with its message and the count serving now.</summary>
    public ReplicaRetiredException(string message, int replicasServing) : base(message) => ReplicasServing = replicasServing;

    /// <summary>Replicas the version serves now.</summary>
    [Id(0)] public int ReplicasServing { get; private set; }
}
