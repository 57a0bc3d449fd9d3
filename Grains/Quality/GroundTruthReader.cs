using System.Collections.Immutable;
using System.Globalization;
using Cluster.Errors;
using Cluster.Models;

namespace Cluster.Quality;

/// <summary>Checks a batch of labels against a model's quality config before any is joined, and reads each as a class index or a value.</summary>
public static class GroundTruthReader
{
    /// <summary>Each label's true class (classification) or value (regression); throws <see cref="InvalidInferenceRequestException"/> naming the first bad label.</summary>
    public static ImmutableArray<(string Id, int Class, double Value)> Read(ImmutableArray<GroundTruthLabel> labels, QualityConfig config)
    {
        if (labels.IsDefault) throw new InvalidInferenceRequestException("No labels.");
        if (labels.Length > GroundTruthLabel.MaxPerCall)
        {
            throw new InvalidInferenceRequestException($"{labels.Length} labels in one call; at most {GroundTruthLabel.MaxPerCall} are allowed.");
        }
        var read = ImmutableArray.CreateBuilder<(string, int, double)>(labels.Length);
        for (var i = 0; i < labels.Length; i++) read.Add(Read(labels[i], i, config));
        return read.MoveToImmutable();
    }

    private static (string Id, int Class, double Value) Read(GroundTruthLabel label, int index, QualityConfig config)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"labels[{index}]");
        if (string.IsNullOrEmpty(label.Id)) throw new InvalidInferenceRequestException($"{where}: 'id' must be a non-empty request id.");
        if (config.Task == QualityTask.Regression)
        {
            if (label.Value is not { } value || !double.IsFinite(value)) throw new InvalidInferenceRequestException($"{where}: a regression model takes a finite 'value'.");
            return (label.Id, -1, value);
        }
        if (label.Value is not null) throw new InvalidInferenceRequestException($"{where}: a classification model takes a 'label' (class index or name), not a 'value'.");
        if (label.ClassName is { } name)
        {
            var named = config.ClassIndex(name);
            if (named < 0)
            {
                throw new InvalidInferenceRequestException(config.Classes.IsDefaultOrEmpty
                    ? $"{where}: class '{name}' given by name, but the model's quality config names no classes; give its index."
                    : $"{where}: class '{name}' is not one of the model's classes ({string.Join(", ", config.Classes)}).");
            }
            return (label.Id, named, double.NaN);
        }
        if (label.Class is not { } number) throw new InvalidInferenceRequestException($"{where}: 'label' (class index or name) is missing.");
        if (number < 0 || (!config.Classes.IsDefaultOrEmpty && number >= config.Classes.Length))
        {
            throw new InvalidInferenceRequestException($"{where}: class {number} is out of range.");
        }
        return (label.Id, number, double.NaN);
    }
}
