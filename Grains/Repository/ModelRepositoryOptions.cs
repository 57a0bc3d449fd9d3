using System.ComponentModel.DataAnnotations;

namespace Cluster.Repository;

/// <summary>Where models come from at start-up (configuration section <c>Models</c>).</summary>
public sealed class ModelRepositoryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Models";

    /// <summary>Folder laid out as <c>&lt;model&gt;/&lt;version&gt;/model.onnx</c> with an optional <c>&lt;model&gt;/config.json</c>.</summary>
    [Required]
    public string Repository { get; set; } = "models";

    /// <summary>Rescan the repository this often (seconds) and pick up added, changed and removed version folders; 0 scans only at start-up.</summary>
    [Range(0, 86400)]
    public int PollSeconds { get; set; }

    /// <summary>Writes the built-in demo model into the repository when it is missing, so a fresh start serves something.</summary>
    public bool WriteDemoModel { get; set; } = true;
}
