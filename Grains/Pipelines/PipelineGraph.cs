namespace Cluster.Pipelines;

/// <summary>
/// The wiring rules that need no types: step names, references to known sources, no cycles, and
/// no step whose result no pipeline output can use. Throws <see cref="InvalidDataException"/>.
/// </summary>
public static class PipelineGraph
{
    /// <summary>Checks the graph and returns the steps in an order where each follows what it reads.</summary>
    public static IReadOnlyList<PipelineStep> Order(PipelineDefinition definition)
    {
        CheckNames(definition);
        var steps = definition.Steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            foreach (var read in step.Reads) CheckSource(definition, read, $"step '{step.Name}'");
        }
        foreach (var output in definition.Outputs) CheckSource(definition, output.From, $"output '{output.Name}'");

        var order = new List<PipelineStep>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path; true: done
        foreach (var step in definition.Steps) Visit(step, steps, state, order, []);

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in definition.Outputs) MarkUsed(output.From, steps, used);
        foreach (var step in definition.Steps)
        {
            if (!used.Contains(step.Name)) throw Invalid($"step '{step.Name}' is unreachable: no pipeline output depends on it");
        }
        var fed = definition.Steps.SelectMany(s => s.Reads).Concat(definition.Outputs.Select(o => o.From))
            .Where(r => r.IsPipelineInput).Select(r => r.Tensor).ToHashSet(StringComparer.Ordinal);
        foreach (var input in definition.Inputs)
        {
            if (!fed.Contains(input)) throw Invalid($"input '{input}' is not read by any step");
        }
        return order;
    }

    private static void CheckNames(PipelineDefinition definition)
    {
        if (definition.Inputs.IsEmpty) throw Invalid("'inputs' is empty; a pipeline takes at least one input");
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in definition.Inputs)
        {
            if (!inputs.Add(input)) throw Invalid($"input '{input}' is declared twice");
        }
        if (definition.Steps.IsEmpty) throw Invalid("'steps' is empty");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (step.Name == TensorRef.PipelineSource || step.Name.Contains('.', StringComparison.Ordinal))
            {
                throw Invalid($"step name '{step.Name}' is not allowed ('{TensorRef.PipelineSource}' is reserved and names contain no '.')");
            }
            if (!names.Add(step.Name)) throw Invalid($"two steps are named '{step.Name}'");
        }
    }

    private static void CheckSource(PipelineDefinition definition, TensorRef read, string where)
    {
        if (read.IsPipelineInput)
        {
            if (!definition.Inputs.Contains(read.Tensor)) throw Invalid($"{where} reads '{read}', but the pipeline has no input '{read.Tensor}' (inputs: {string.Join(", ", definition.Inputs)})");
        }
        else if (definition.FindStep(read.Source) is null)
        {
            throw Invalid($"{where} reads '{read}', but there is no step '{read.Source}'");
        }
    }

    private static void Visit(PipelineStep step, Dictionary<string, PipelineStep> steps, Dictionary<string, bool> state, List<PipelineStep> order, List<string> path)
    {
        if (state.TryGetValue(step.Name, out var done))
        {
            if (done) return;
            var start = path.IndexOf(step.Name);
            throw Invalid($"the steps form a cycle: {string.Join(" → ", path.Skip(start).Append(step.Name))}");
        }
        state[step.Name] = false;
        path.Add(step.Name);
        foreach (var read in step.Reads.Where(r => !r.IsPipelineInput)) Visit(steps[read.Source], steps, state, order, path);
        path.RemoveAt(path.Count - 1);
        state[step.Name] = true;
        order.Add(step);
    }

    private static void MarkUsed(TensorRef read, Dictionary<string, PipelineStep> steps, HashSet<string> used)
    {
        if (read.IsPipelineInput || !used.Add(read.Source)) return;
        foreach (var next in steps[read.Source].Reads) MarkUsed(next, steps, used);
    }

    private static InvalidDataException Invalid(string message) => new($"pipeline: {message}.");
}
