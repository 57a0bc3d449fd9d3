namespace Cluster.Errors;

/// <summary>The request's deadline passed before it could be computed, so it was dropped (HTTP 504).</summary>
[GenerateSerializer, Alias("Cluster.DeadlineExceededException")]
public sealed class DeadlineExceededException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public DeadlineExceededException(string message) : base(message) { }
}
