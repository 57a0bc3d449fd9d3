namespace Cluster.Onnx;

/// <summary>
/// The model runtime refused an artifact or failed on a batch. It stays inside the silo: the
/// replica turns it into <see cref="Errors.InferenceFailedException"/> for callers, and a failed
/// load becomes the version's reason. The runtime's own exception is the inner exception.
/// </summary>
public sealed class ModelSessionException(string message, Exception? innerException = null) : Exception(message, innerException);
