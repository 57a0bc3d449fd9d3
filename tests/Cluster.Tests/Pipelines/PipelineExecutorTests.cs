using System.Text;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Pipelines;
using Cluster.Tensors;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// The executor on a fake clock, with steps answered by a delegate in place of the routers (the seam
/// the pipeline grain fills with router calls): what each step is sent, what runs, and the deadline.
/// </summary>
public sealed class PipelineExecutorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(string Step, TimeSpan? Timeout)> _calls = [];

    private static PipelineDefinition Parse(string json) => PipelineJson.Parse(Encoding.UTF8.GetBytes(json));

    private PipelineExecutor Executor(PipelineDefinition definition, TimeSpan stepTakes, List<(string, bool)>? branches = null) => new(
        "p",
        definition,
        (step, request, _) =>
        {
            _calls.Add((step.Name, request.Timeout));
            _time.Advance(stepTakes);
            var x = request.Inputs.Single().ToArray<float>();
            return Task.FromResult(new InferenceResponse(step.Model, "1", null, [TensorData.From<float>("y", [.. x.Select(v => v * 2)], 1, x.Length)]));
        },
        (_, _) => throw new InvalidOperationException("no templates here"),
        (step, then, otherwise) => branches?.Add((step.Name, then > 0 && otherwise == 0)),
        _time);

    private static InferenceRequest Request(params float[] x) => new(null, [TensorData.From<float>("x", x, 1, x.Length)], []);

    private const string Chain = """
        {"inputs": ["x"], "steps": [
          {"name": "first", "model": "m1", "inputs": {"x": "pipeline.x"}},
          {"name": "second", "model": "m2", "inputs": {"x": "first.y"}}
        ], "outputs": {"y": "second.y"}}
        """;

    [Fact]
    public async Task EachStepGetsWhatIsLeftOfThePipelinesDeadlineAsItsTimeout()
    {
        var outputs = await Executor(Parse(Chain), TimeSpan.FromMilliseconds(30)).Run(Request(1f, 2f), TimeSpan.FromMilliseconds(100), CancellationToken.None);

        outputs.Single().ToArray<float>().ShouldBe([4f, 8f]);
        _calls.ShouldBe([("first", TimeSpan.FromMilliseconds(100)), ("second", TimeSpan.FromMilliseconds(70))]);
    }

    [Fact]
    public async Task AStepThatCannotStartBeforeTheDeadlineFailsByNameAndIsNeverCalled()
    {
        var executor = Executor(Parse(Chain), TimeSpan.FromMilliseconds(150));

        var error = await Should.ThrowAsync<DeadlineExceededException>(() => executor.Run(Request(1f), TimeSpan.FromMilliseconds(100), CancellationToken.None));

        error.Message.ShouldBe("Pipeline 'p' step 'second' (model 'm2'): the pipeline's deadline of 100 ms passed before the step could start.");
        _calls.Select(c => c.Step).ShouldBe(["first"]);
    }

    [Fact]
    public async Task OnlyTheBranchASwitchTakesRunsAndAStepReadTwiceRunsOnce()
    {
        var branches = new List<(string, bool)>();
        var executor = Executor(Parse("""
            {"inputs": ["x"], "steps": [
              {"name": "cheap", "model": "small", "inputs": {"x": "pipeline.x"}},
              {"name": "costly", "model": "large", "inputs": {"x": "pipeline.x"}},
              {"name": "pick", "switch": {"on": "cheap.y", "argmax_equals": 0}, "then": "costly.y", "else": "cheap.y"}
            ], "outputs": {"answer": "pick.output", "raw": "cheap.y"}}
            """), TimeSpan.Zero, branches);

        var outputs = await executor.Run(Request(1f, 3f), null, CancellationToken.None);

        outputs.Select(o => o.Name).ShouldBe(["answer", "raw"]);
        outputs[0].ToArray<float>().ShouldBe([2f, 6f]);
        _calls.Select(c => c.Step).ShouldBe(["cheap"]);
        branches.ShouldBe([("pick", false)]);
    }
}
