namespace Cluster.Errors;

/// <summary>The request does not fit the model: a name, datatype, shape or data length is wrong (HTTP 400).</summary>
[GenerateSerializer, Alias("Cluster.InvalidInferenceRequestException")]
public sealed class InvalidInferenceRequestException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public InvalidInferenceRequestException(string message) : base(message) { }
}
