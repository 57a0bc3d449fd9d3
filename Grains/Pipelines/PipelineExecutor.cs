using System.Collections.Immutable;
using System.Diagnostics;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Telemetry;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// Runs one request through a validated pipeline. Evaluation is lazy and memoized from the
/// outputs back: a step runs once, when something that is needed reads it, so steps that do not
/// depend on each other run concurrently and a switch's untaken branch never runs. The request's
/// timeout is one deadline for all steps: each step gets what is left of it as its own timeout.
/// Not thread-safe; in a grain every continuation runs on the activation's scheduler.
/// </summary>
/// <param name="callModel">Calls a model step's model (through its router) with the step's request.</param>
/// <param name="runTemplate">Runs a template step's graph on its input (named <see cref="StepTemplates.Input"/>).</param>
/// <param name="onBranch">Told how many rows each switch sent down 'then' and how many down 'else'.</param>
public sealed class PipelineExecutor(
    string pipeline,
    PipelineDefinition definition,
    Func<ModelStep, InferenceRequest, CancellationToken, Task<InferenceResponse>> callModel,
    Func<TemplateStep, TensorData, ImmutableArray<TensorData>> runTemplate,
    Action<SwitchStep, int, int> onBranch,
    TimeProvider time)
{
    private readonly string _pipeline = pipeline;
    private readonly PipelineDefinition _definition = definition;
    private readonly Func<ModelStep, InferenceRequest, CancellationToken, Task<InferenceResponse>> _callModel = callModel;
    private readonly Func<TemplateStep, TensorData, ImmutableArray<TensorData>> _runTemplate = runTemplate;
    private readonly Action<SwitchStep, int, int> _onBranch = onBranch;
    private readonly TimeProvider _time = time;

    /// <summary>The pipeline's outputs for <paramref name="request"/>, in definition order, limited to its requested outputs when it names any.</summary>
    public async Task<ImmutableArray<TensorData>> Run(InferenceRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var run = new Evaluation(this, request, timeout, _time.GetTimestamp(), Activity.Current, cancellationToken);
        var selected = _definition.Outputs
            .Where(o => request.RequestedOutputs.IsDefaultOrEmpty || request.RequestedOutputs.Contains(o.Name))
            .ToArray();
        var tensors = await Task.WhenAll(selected.Select(o => run.Read(o.From)));
        return [.. tensors.Select((t, i) => t with { Name = selected[i].Name })];
    }

    /// <summary>
    /// The rows of its parent evaluation a switch branch runs on. <paramref name="Local"/> index the
    /// parent's rows (<paramref name="ParentRows"/> of them), <paramref name="Absolute"/> the request's
    /// (<paramref name="RequestRows"/>): a branch reuses what its parent already computed, sliced, and
    /// runs what only it needs on its rows of the request's inputs.
    /// </summary>
    private sealed record RowScope(Evaluation Parent, int[] Local, long ParentRows, int[] Absolute, long RequestRows);

    private sealed class Evaluation(PipelineExecutor owner, InferenceRequest request, TimeSpan? timeout, long started, Activity? pipelineSpan, CancellationToken cancellationToken, RowScope? scope = null)
    {
        private readonly Dictionary<string, Task<ImmutableArray<TensorData>>> _steps = new(StringComparer.Ordinal);

        public async Task<TensorData> Read(TensorRef read)
        {
            if (read.IsPipelineInput)
            {
                var input = request.Inputs.First(i => i.Name == read.Tensor);
                return scope is null ? input : RowSlicer.Take(input, scope.Absolute, scope.RequestRows, $"Pipeline '{owner._pipeline}' input '{read.Tensor}'");
            }
            if (scope is not null && !_steps.ContainsKey(read.Source) && scope.Parent._steps.ContainsKey(read.Source))
            {
                return RowSlicer.Take(await scope.Parent.Read(read), scope.Local, scope.ParentRows, $"Pipeline '{owner._pipeline}' tensor '{read}'");
            }
            var outputs = await Step(read.Source);
            foreach (var output in outputs)
            {
                if (output.Name == read.Tensor) return output;
            }
            throw new InferenceFailedException($"Pipeline '{owner._pipeline}' step '{read.Source}' returned no tensor '{read.Tensor}'.");
        }

        private Task<ImmutableArray<TensorData>> Step(string name)
        {
            if (!_steps.TryGetValue(name, out var running))
            {
                running = Execute(owner._definition.FindStep(name)!);
                _steps[name] = running;
            }
            return running;
        }

        private async Task<ImmutableArray<TensorData>> Execute(PipelineStep step)
        {
            // One span per step, each a child of the pipeline's span even when a later step's read started it
            // (evaluation runs from the outputs back); a model step's own route span nests inside its step's.
            using var span = InferenceTracing.StartUnder(pipelineSpan, "pipeline.step", owner._pipeline, null);
            span?.SetTag("cluster.step", step.Name);
            try
            {
                return await ExecuteStep(step);
            }
            catch (Exception ex)
            {
                span.Fail(ex);
                throw;
            }
        }

        private async Task<ImmutableArray<TensorData>> ExecuteStep(PipelineStep step)
        {
            switch (step)
            {
                case ModelStep model:
                    var inputs = await Task.WhenAll(model.Inputs.Select(async i => (await Read(i.Value)) with { Name = i.Key }));
                    return [.. (await CallModel(model, [.. inputs])).Outputs];
                case CombineStep combine:
                    var sources = await Task.WhenAll(combine.From.Select(Read));
                    try
                    {
                        return [TensorCombiner.Combine(combine, sources)];
                    }
                    catch (Exception ex) when (ex is not InferenceFailedException)
                    {
                        throw StepErrors.Name(owner._pipeline, step, ex);
                    }
                case SwitchStep choice:
                    return [(await Switch(choice)) with { Name = CombineStep.OutputName }];
                case TemplateStep template:
                    var scores = (await Read(template.From)) with { Name = StepTemplates.Input };
                    try
                    {
                        return owner._runTemplate(template, scores);
                    }
                    catch (Exception ex)
                    {
                        throw StepErrors.Name(owner._pipeline, step, ex);
                    }
                default:
                    throw new InvalidOperationException($"Unknown step kind {step.GetType().Name}.");
            }
        }

        /// <summary>Each row down the branch its test picks; a request whose rows all agree runs one branch whole.</summary>
        private async Task<TensorData> Switch(SwitchStep choice)
        {
            var holds = SwitchCondition.Rows(choice, await Read(choice.On));
            int[] thenRows = [.. Enumerable.Range(0, holds.Length).Where(r => holds[r])];
            int[] elseRows = [.. Enumerable.Range(0, holds.Length).Where(r => !holds[r])];
            owner._onBranch(choice, thenRows.Length, elseRows.Length);
            if (thenRows.Length == 0) return await Read(choice.Else);
            if (elseRows.Length == 0) return await Read(choice.Then);
            var then = Rows(thenRows, holds.Length).Read(choice.Then);
            var otherwise = Rows(elseRows, holds.Length).Read(choice.Else);
            await Task.WhenAll(then, otherwise);
            return RowSlicer.Merge(await then, thenRows, await otherwise, elseRows, $"Pipeline '{owner._pipeline}' step '{choice.Name}'");
        }

        private Evaluation Rows(int[] local, long tested) => new(owner, request, timeout, started, pipelineSpan, cancellationToken,
            new RowScope(this, local, tested, scope is null ? local : [.. local.Select(r => scope.Absolute[r])], scope?.RequestRows ?? tested));

        private async Task<InferenceResponse> CallModel(ModelStep step, ImmutableArray<TensorData> inputs)
        {
            TimeSpan? left = null;
            if (timeout is { } budget)
            {
                left = budget - owner._time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    throw new DeadlineExceededException(
                        $"Pipeline '{owner._pipeline}' step '{step.Name}' (model '{step.Model}'): the pipeline's deadline of {budget.TotalMilliseconds:0.###} ms passed before the step could start.");
                }
            }
            var stepRequest = new InferenceRequest(request.Id, inputs, [], left, request.RoutingKey, request.Parameters, request.TraceId);
            try
            {
                return await owner._callModel(step, stepRequest, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw StepErrors.Name(owner._pipeline, step, ex);
            }
        }
    }
}
