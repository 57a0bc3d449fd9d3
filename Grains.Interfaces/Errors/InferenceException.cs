namespace Cluster.Errors;

/// <summary>Base of the errors the cluster reports to callers; the kind decides the HTTP status.</summary>
[GenerateSerializer, Alias("Cluster.InferenceException")]
public class InferenceException : Exception
{
    /// <summary>Creates an error with a message meant for the caller.</summary>
    public InferenceException(string message) : base(message) { }

    /// <summary>Creates an error with a message meant for the caller and its cause.</summary>
    public InferenceException(string message, Exception? innerException) : base(message, innerException) { }
}
