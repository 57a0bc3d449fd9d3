using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>What a combine or switch step puts out, given what it reads; throws when its inputs cannot be combined.</summary>
public static class StepOutputTypes
{
    /// <summary>The output spec of <paramref name="step"/> reading <paramref name="sources"/>.</summary>
    public static TensorSpec Combine(CombineStep step, IReadOnlyList<TensorSpec> sources)
    {
        var where = $"step '{step.Name}'";
        if (sources.Count < 2) throw PipelineValidator.Invalid($"{where}: '{Name(step.Method)}' needs at least two tensors in 'from'");
        if (step.Method == CombineMethod.WeightedAverage && step.Weights.Length != sources.Count)
        {
            throw PipelineValidator.Invalid($"{where}: 'weights' has {step.Weights.Length} entries for {sources.Count} tensors");
        }
        if (step.Method == CombineMethod.WeightedAverage && (step.Weights.Any(w => w < 0 || !double.IsFinite(w)) || step.Weights.Sum() <= 0))
        {
            throw PipelineValidator.Invalid($"{where}: 'weights' must be finite, not negative, and not all zero");
        }
        if (step.Method != CombineMethod.WeightedAverage && !step.Weights.IsEmpty) throw PipelineValidator.Invalid($"{where}: only weighted_average takes 'weights'");
        if (step.Method == CombineMethod.Concat) return Concat(step, sources, where);
        var merged = sources[0];
        for (var i = 1; i < sources.Count; i++) merged = PipelineValidator.Connect(sources[i], merged, $"{where} 'from' entry {i + 1} ({step.From[i]}) against {step.From[0]}");
        if (merged.DataType is not (TensorDataType.FP32 or TensorDataType.FP64))
        {
            throw PipelineValidator.Invalid($"{where}: '{Name(step.Method)}' works on FP32 or FP64 tensors, not {merged.DataType.ProtocolName()}");
        }
        if (step.Method == CombineMethod.Vote)
        {
            if (merged.Shape.Length != 2) throw PipelineValidator.Invalid($"{where}: 'vote' reads scores shaped [rows, classes], not {ShapeMath.Format(merged.Shape.AsSpan())}");
            return new TensorSpec(CombineStep.OutputName, TensorDataType.Int64, [merged.Shape[0]]);
        }
        return merged with { Name = CombineStep.OutputName };
    }

    /// <summary>The output spec of a switch: its two branches must agree; the tested tensor must hold scores.</summary>
    public static TensorSpec Switch(SwitchStep step, TensorSpec on, TensorSpec then, TensorSpec otherwise)
    {
        var where = $"step '{step.Name}'";
        if (on.DataType is not (TensorDataType.FP32 or TensorDataType.FP64) || on.Shape.Length is < 1 or > 2)
        {
            throw PipelineValidator.Invalid($"{where}: 'switch.on' must be FP32 or FP64 scores shaped [rows, classes] or [classes], not {on.DataType.ProtocolName()} {ShapeMath.Format(on.Shape.AsSpan())}");
        }
        if (step.Test == SwitchTest.ArgmaxEquals && (step.Value < 0 || step.Value != Math.Floor(step.Value)))
        {
            throw PipelineValidator.Invalid($"{where}: 'argmax_equals' must be a class index (a whole number ≥ 0)");
        }
        return PipelineValidator.Connect(otherwise, then, $"{where}: 'then' ({step.Then}) and 'else' ({step.Else}) must agree") with { Name = CombineStep.OutputName };
    }

    /// <summary>The outputs of a template step reading <paramref name="scores"/>.</summary>
    public static System.Collections.Immutable.ImmutableArray<TensorSpec> Template(TemplateStep step, TensorSpec scores)
    {
        var where = $"step '{step.Name}'";
        if (step.Template == TemplateStep.Normalize) return [Normalize(step, scores, where)];
        if (step.Template is TemplateStep.DecodeImage or TemplateStep.Resize or TemplateStep.CenterCrop) return [ImageOutputTypes.Of(step, scores, where)];
        if (step.Template == TemplateStep.Tokenize) return Tokenizer.Outputs(step, scores, where);
        if (scores.DataType != TensorDataType.FP32 || scores.Shape.Length != 2)
        {
            throw PipelineValidator.Invalid($"{where}: 'top_k' reads FP32 scores shaped [rows, classes], not {scores.DataType.ProtocolName()} {ShapeMath.Format(scores.Shape.AsSpan())}");
        }
        var classes = scores.Shape[1];
        if (classes >= 0 && step.K > classes) throw PipelineValidator.Invalid($"{where}: 'k' is {step.K} but {step.From} has {classes} classes");
        if (classes >= 0 && !step.Labels.IsEmpty && step.Labels.Length != classes)
        {
            throw PipelineValidator.Invalid($"{where}: {step.Labels.Length} labels for {classes} classes of {step.From}");
        }
        long[] shape = [scores.Shape[0], step.K];
        TensorSpec[] outputs =
        [
            new(StepTemplates.Scores, TensorDataType.FP32, [.. shape]),
            new(StepTemplates.Indices, TensorDataType.Int64, [.. shape]),
            .. step.Labels.IsEmpty ? Array.Empty<TensorSpec>() : [new TensorSpec(StepTemplates.LabelsOutput, TensorDataType.Bytes, [.. shape])],
        ];
        return [.. outputs];
    }

    private static TensorSpec Normalize(TemplateStep step, TensorSpec input, string where)
    {
        if (input.DataType is not (TensorDataType.FP32 or TensorDataType.UInt8) || input.Shape.Length < 2)
        {
            throw PipelineValidator.Invalid($"{where}: 'normalize' reads FP32 or UINT8 shaped [rows, channels, ...], not {input.DataType.ProtocolName()} {ShapeMath.Format(input.Shape.AsSpan())}");
        }
        var channels = input.Shape[1];
        foreach (var (field, count) in new[] { ("mean", step.Mean.Length), ("std", step.Std.Length), ("channels", step.Channels.IsEmpty ? 1 : step.Channels.Length) })
        {
            // One value applies to every channel; otherwise one per channel.
            if (count != 1 && channels >= 0 && count != channels) throw PipelineValidator.Invalid($"{where}: '{field}' has {count} values for {channels} channels of {step.From}");
        }
        if (step.Channels.Any(c => c < 0 || (channels >= 0 && c >= channels)))
        {
            throw PipelineValidator.Invalid($"{where}: 'channels' must list channel indices of {step.From} (0 to {channels - 1})");
        }
        return new TensorSpec(CombineStep.OutputName, TensorDataType.FP32, input.Shape);
    }

    private static TensorSpec Concat(CombineStep step, IReadOnlyList<TensorSpec> sources, string where)
    {
        var rank = sources[0].Shape.Length;
        var axis = step.Axis < 0 ? step.Axis + rank : step.Axis;
        if (rank == 0 || axis < 0 || axis >= rank) throw PipelineValidator.Invalid($"{where}: axis {step.Axis} is outside rank {rank}");
        var shape = sources[0].Shape.ToArray();
        for (var i = 1; i < sources.Count; i++)
        {
            var source = sources[i];
            if (source.DataType != sources[0].DataType) throw PipelineValidator.Invalid($"{where}: {step.From[i]} is {source.DataType.ProtocolName()}, {step.From[0]} is {sources[0].DataType.ProtocolName()}");
            if (source.Shape.Length != rank) throw PipelineValidator.Invalid($"{where}: {step.From[i]} has rank {source.Shape.Length}, {step.From[0]} rank {rank}");
            for (var d = 0; d < rank; d++)
            {
                var (a, b) = (shape[d], source.Shape[d]);
                if (d == axis) shape[d] = a < 0 || b < 0 ? -1 : a + b;
                else if (a >= 0 && b >= 0 && a != b) throw PipelineValidator.Invalid($"{where}: {step.From[i]} differs from {step.From[0]} in dimension {d}, which is not the concat axis");
                else if (a < 0) shape[d] = b;
            }
        }
        return new TensorSpec(CombineStep.OutputName, sources[0].DataType, [.. shape]);
    }

    private static string Name(CombineMethod method) => method switch
    {
        CombineMethod.Average => "average",
        CombineMethod.WeightedAverage => "weighted_average",
        CombineMethod.Vote => "vote",
        _ => "concat",
    };
}
