namespace Cluster.Tests.Support;

/// <summary>A model repository folder under the temp directory, deleted on dispose.</summary>
public sealed class TemporaryRepository : IDisposable
{
    public TemporaryRepository()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <c>model/version/model.onnx</c> and returns its path.</summary>
    public string Add(string model, string version, byte[] onnx, string? configJson = null)
    {
        var folder = System.IO.Path.Combine(Root, model, version);
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, "model.onnx");
        File.WriteAllBytes(path, onnx);
        if (configJson is not null) File.WriteAllText(System.IO.Path.Combine(Root, model, "config.json"), configJson);
        return path;
    }

    /// <summary>Copies an existing ONNX file in as <c>model/version/model.onnx</c>.</summary>
    public string AddFile(string model, string version, string source, string? configJson = null) =>
        Add(model, version, File.ReadAllBytes(source), configJson);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file open must not fail the test run.
        }
    }
}
