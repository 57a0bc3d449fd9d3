namespace Cluster.Onnx;

/// <summary>
/// Loads model artifacts into sessions a replica runs batches on. The seam between the grains and
/// the model runtime: production loads ONNX Runtime sessions (<see cref="OnnxSessionFactory"/>),
/// tests a deterministic fake.
/// </summary>
public interface IModelSessionFactory
{
    /// <summary>
    /// Loads the artifact at <paramref name="path"/> on <paramref name="device"/> (<c>auto</c>,
    /// <c>cpu</c>, <c>cuda</c>; null for the silo's default device).
    /// </summary>
    /// <exception cref="ModelSessionException">The artifact cannot be loaded on that device; the message says why.</exception>
    IModelSession Load(string path, string? device);
}
