namespace Cluster.Errors;

/// <summary>The server failed to run a request it accepted, e.g. ONNX Runtime raised an error (HTTP 500).</summary>
[GenerateSerializer, Alias("Cluster.InferenceFailedException")]
public sealed class InferenceFailedException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public InferenceFailedException(string message) : base(message) { }
}
