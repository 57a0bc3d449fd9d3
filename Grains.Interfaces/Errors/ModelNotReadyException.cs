namespace Cluster.Errors;

/// <summary>The version exists but cannot serve now: still loading, or failed to load (HTTP 503).</summary>
[GenerateSerializer, Alias("Cluster.ModelNotReadyException")]
public sealed class ModelNotReadyException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public ModelNotReadyException(string message) : base(message) { }
}
