namespace Cluster.Errors;

/// <summary>The change conflicts with the model's current state, e.g. deleting a version that still serves traffic (HTTP 409).</summary>
[GenerateSerializer, Alias("Cluster.ConflictException")]
public sealed class ConflictException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public ConflictException(string message) : base(message) { }
}
