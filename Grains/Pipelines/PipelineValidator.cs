using System.Collections.Immutable;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// Checks a pipeline against the signatures of the models its steps call and works out the
/// pipeline's own signature: every connected pair of tensors must agree on datatype and on each
/// known dimension. Throws <see cref="InvalidDataException"/> naming the step and tensors.
/// </summary>
public static class PipelineValidator
{
    /// <summary>The pipeline's signature; <paramref name="signatures"/> holds each model step's model signature by step name.</summary>
    public static ModelSignature Validate(PipelineDefinition definition, IReadOnlyDictionary<string, ModelSignature> signatures)
    {
        var order = PipelineGraph.Order(definition);
        var inputs = new Dictionary<string, TensorSpec>(definition.DeclaredInputs ?? ImmutableDictionary<string, TensorSpec>.Empty, StringComparer.Ordinal);
        var outputs = new Dictionary<string, ImmutableArray<TensorSpec>>(StringComparer.Ordinal);
        TensorSpec? SpecOf(TensorRef read, string where)
        {
            if (read.IsPipelineInput) return inputs.GetValueOrDefault(read.Tensor);
            return outputs[read.Source].FirstOrDefault(s => s.Name == read.Tensor)
                ?? throw Invalid($"{where} reads '{read}', but step '{read.Source}' has no output '{read.Tensor}' (outputs: {string.Join(", ", outputs[read.Source].Select(s => s.Name))})");
        }
        // Model steps first fix the pipeline inputs' types, so a combine or switch reading an input directly can be checked too.
        foreach (var step in order.OfType<ModelStep>())
        {
            var signature = signatures[step.Name];
            foreach (var (name, read) in step.Inputs)
            {
                var target = signature.FindInput(name)
                    ?? throw Invalid($"step '{step.Name}' maps input '{name}', which model '{step.Model}' does not have (inputs: {string.Join(", ", signature.Inputs.Select(i => i.Name))})");
                if (!read.IsPipelineInput) continue;
                if (inputs.TryGetValue(read.Tensor, out var known))
                {
                    inputs[read.Tensor] = Connect(known, target, $"pipeline input '{read.Tensor}' feeds step '{step.Name}' input '{name}' (as declared, or as another step takes it)") with { Name = read.Tensor };
                }
                else
                {
                    inputs[read.Tensor] = target with { Name = read.Tensor };
                }
            }
            foreach (var input in signature.Inputs)
            {
                if (!step.Inputs.ContainsKey(input.Name)) throw Invalid($"step '{step.Name}' does not map model '{step.Model}' input '{input.Name}'");
            }
        }
        foreach (var input in definition.Inputs)
        {
            if (!inputs.ContainsKey(input)) throw Invalid($"pipeline input '{input}' feeds no model step, so its datatype and shape are unknown; declare them in 'inputs' as {{\"name\": \"{input}\", \"datatype\": ..., \"shape\": [...]}}");
        }
        foreach (var step in order)
        {
            outputs[step.Name] = step switch
            {
                ModelStep model => CheckModel(model, signatures[model.Name], SpecOf),
                CombineStep combine => [StepOutputTypes.Combine(combine, [.. combine.From.Select(f => SpecOf(f, $"step '{combine.Name}'")!)])],
                SwitchStep choice => [StepOutputTypes.Switch(choice, SpecOf(choice.On, $"step '{choice.Name}'")!, SpecOf(choice.Then, $"step '{choice.Name}'")!, SpecOf(choice.Else, $"step '{choice.Name}'")!)],
                TemplateStep template => StepOutputTypes.Template(template, SpecOf(template.From, $"step '{template.Name}'")!),
                _ => throw new InvalidOperationException($"Unknown step kind {step.GetType().Name}."),
            };
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in definition.Outputs)
        {
            if (!names.Add(output.Name)) throw Invalid($"output '{output.Name}' is declared twice");
        }
        return new ModelSignature(
            [.. definition.Inputs.Select(i => inputs[i])],
            [.. definition.Outputs.Select(o => SpecOf(o.From, $"output '{o.Name}'")! with { Name = o.Name })]);
    }

    private static ImmutableArray<TensorSpec> CheckModel(ModelStep step, ModelSignature signature, Func<TensorRef, string, TensorSpec?> specOf)
    {
        foreach (var (name, read) in step.Inputs)
        {
            if (read.IsPipelineInput) continue;
            var source = specOf(read, $"step '{step.Name}'")!;
            Connect(source, signature.FindInput(name)!, $"step '{step.Name}' input '{name}' reads '{read}'");
        }
        return signature.Outputs;
    }

    /// <summary>The spec both sides satisfy (known dimensions win over -1); throws when they disagree.</summary>
    public static TensorSpec Connect(TensorSpec source, TensorSpec target, string where)
    {
        if (source.DataType != target.DataType)
        {
            throw Invalid($"{where}: datatype {source.DataType.ProtocolName()} does not match {target.DataType.ProtocolName()}");
        }
        if (source.Shape.Length != target.Shape.Length)
        {
            throw Invalid($"{where}: shape {ShapeMath.Format(source.Shape.AsSpan())} does not match {ShapeMath.Format(target.Shape.AsSpan())} (rank differs)");
        }
        var shape = new long[source.Shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            var (a, b) = (source.Shape[i], target.Shape[i]);
            if (a >= 0 && b >= 0 && a != b)
            {
                throw Invalid($"{where}: shape {ShapeMath.Format(source.Shape.AsSpan())} does not match {ShapeMath.Format(target.Shape.AsSpan())} (dimension {i} differs)");
            }
            shape[i] = a >= 0 ? a : b;
        }
        return target with { Shape = [.. shape] };
    }

    internal static InvalidDataException Invalid(string message) => new($"pipeline: {message}.");
}
