using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>Model quality in production (config.json <c>quality</c>): what each served prediction is, so ground truth can be joined to it.</summary>
/// <param name="Task">Classification or regression.</param>
/// <param name="Output">The output holding the prediction; null for the model's first output.</param>
/// <param name="Classes">Class names by index, so labels may name a class; empty when labels give indexes only.</param>
/// <param name="Segment">The request parameter whose value puts a prediction in a segment (e.g. a region).</param>
/// <param name="RetentionHours">Hours a served prediction waits for its label before it is forgotten.</param>
[GenerateSerializer, Immutable, Alias("Cluster.QualityConfig")]
public sealed record QualityConfig(QualityTask Task, string? Output = null, ImmutableArray<string> Classes = default,
    string Segment = QualityConfig.DefaultSegment, int RetentionHours = QualityConfig.DefaultRetentionHours)
{
    /// <summary>The segment parameter when config.json names none.</summary>
    public const string DefaultSegment = "segment";

    /// <summary>Retention when config.json names none.</summary>
    public const int DefaultRetentionHours = 72;

    /// <summary>The class index <paramref name="name"/> stands for, or -1.</summary>
    public int ClassIndex(string name) => Classes.IsDefaultOrEmpty ? -1 : Classes.IndexOf(name, StringComparer.Ordinal);

    /// <summary>The name of class <paramref name="index"/>, when the config names it.</summary>
    public string? ClassName(int index) => !Classes.IsDefaultOrEmpty && index >= 0 && index < Classes.Length ? Classes[index] : null;
}
