using Cluster.Models;

namespace Cluster.Repository;

/// <summary>
/// Lists the versions in a repository folder (each a <c>model.onnx</c> or a <c>pipeline.json</c>). A folder that breaks the layout is reported as a
/// problem and skipped, so one bad model never stops the others from serving. A model whose
/// config.json is wrong keeps its versions, each carrying the reason: they are registered as not
/// ready, so the user sees why (as Triton's repository index shows UNAVAILABLE) rather than "unknown model".
/// </summary>
public static class ModelRepositoryScanner
{
    /// <summary>File name of a version's model.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>File name of a version that is a pipeline of other models.</summary>
    public const string PipelineFileName = Pipelines.PipelineLoader.FileName;

    /// <summary>File name of a model's serving settings.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Scans <paramref name="root"/>; a missing folder has no models.</summary>
    public static (IReadOnlyList<ModelRepositoryEntry> Entries, IReadOnlyList<string> Problems) Scan(string root)
    {
        var entries = new List<ModelRepositoryEntry>();
        var problems = new List<string>();
        if (!Directory.Exists(root)) return (entries, problems);
        foreach (var modelDir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var model = Path.GetFileName(modelDir);
            if (!ModelNames.IsValid(model))
            {
                problems.Add($"'{model}': not a valid model name (letters, digits, '.', '_', '-').");
                continue;
            }
            var config = ModelConfig.Default;
            string? configProblem = null;
            var configPath = Path.GetFullPath(Path.Combine(modelDir, ConfigFileName));
            try
            {
                if (File.Exists(configPath)) config = ModelConfigFile.Parse(File.ReadAllText(configPath), configPath);
            }
            catch (InvalidDataException ex)
            {
                configProblem = ex.Message;
                problems.Add($"'{model}': {ex.Message}");
            }
            var found = new List<ModelRepositoryEntry>();
            foreach (var versionDir in Directory.EnumerateDirectories(modelDir))
            {
                var version = Path.GetFileName(versionDir);
                var artifact = Path.Combine(versionDir, ModelFileName);
                var pipeline = Path.Combine(versionDir, PipelineFileName);
                if (!ModelVersions.TryParse(version, out _)) problems.Add($"'{model}/{version}': version folders are positive integers.");
                else if (File.Exists(artifact) && File.Exists(pipeline)) problems.Add($"'{model}/{version}': both {ModelFileName} and {PipelineFileName}; a version is one or the other.");
                else if (File.Exists(pipeline)) found.Add(new ModelRepositoryEntry(model, version, Path.GetFullPath(pipeline), config, configProblem, VersionKind.Pipeline));
                else if (!File.Exists(artifact)) problems.Add($"'{model}/{version}': no {ModelFileName} (or {PipelineFileName}).");
                else found.Add(new ModelRepositoryEntry(model, version, Path.GetFullPath(artifact), config, configProblem));
            }
            // version_policy leaves the other versions on disk, neither registered nor loaded, as Triton does.
            var admitted = config.VersionPolicy?.Admit([.. found.Select(e => e.Version).Order(ModelVersions.Comparer)]).ToHashSet(StringComparer.Ordinal);
            entries.AddRange(admitted is null ? found : found.Where(e => admitted.Contains(e.Version)));
        }
        entries.Sort((a, b) => a.Model != b.Model ? string.CompareOrdinal(a.Model, b.Model) : ModelVersions.Comparer.Compare(a.Version, b.Version));
        return (entries, problems);
    }
}
