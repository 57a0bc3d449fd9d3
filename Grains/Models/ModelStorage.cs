namespace Cluster.Models;

/// <summary>Grain storage provider that holds the catalog (memory in the embedded default).</summary>
public static class ModelStorage
{
    /// <summary>Provider name.</summary>
    public const string Name = "models";
}
