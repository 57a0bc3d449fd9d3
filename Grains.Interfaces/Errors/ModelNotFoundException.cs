namespace Cluster.Errors;

/// <summary>The model, or the version of it, does not exist (HTTP 404).</summary>
[GenerateSerializer, Alias("Cluster.ModelNotFoundException")]
public sealed class ModelNotFoundException : InferenceException
{
    /// <summary>Creates the error.</summary>
    public ModelNotFoundException(string message) : base(message) { }
}
