using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Tests.Grains;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>Pipelines served through their routers in an in-process cluster, checked against ONNX Runtime run directly on each step's model.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PipelineServingTests(GrainClusterFixture fixture) : IDisposable
{
    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task AChainFeedsOneModelsOutputIntoTheNextAsOnnxRuntimeDoesStepByStep()
    {
        var (double_, doublePath) = await _bed.AddModel("double", TestModels.Scale(2f));
        var (triple, triplePath) = await _bed.AddModel("triple", TestModels.Scale(3f));
        var pipeline = PipelineTestBed.Unique("chain");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["v"], "steps": [
              {"name": "first", "model": "{{{double_}}}", "inputs": {"x": "pipeline.v"}},
              {"name": "second", "model": "{{{triple}}}", "version": "1", "inputs": {"x": "first.y"}}
            ], "outputs": {"scaled": "second.y"}}
            """);
        float[] v = [1.5f, -2f, 0.25f, 4f];

        var response = await _bed.Infer(pipeline, "v", v, 2);

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.Registration.Kind.ShouldBe(VersionKind.Pipeline);
        info.Signature!.Inputs.Single().Name.ShouldBe("v");
        info.Signature.Outputs.Single().Name.ShouldBe("scaled");
        (response.ModelName, response.ModelVersion).ShouldBe((pipeline, "1"));
        var first = DirectOnnx.RunFloat(doublePath, "x", v, [2, 2])["y"];
        var expected = DirectOnnx.RunFloat(triplePath, "x", first, [2, 2])["y"];
        response.Output("scaled").ToArray<float>().ShouldBe(expected);
    }

    [Fact]
    public async Task AnEnsembleAveragesWeighsVotesAndConcatenatesWhatItsModelsAnswer()
    {
        var models = new[] { await _bed.AddModel("a", PipelineModels.Classifier(1)), await _bed.AddModel("b", PipelineModels.Classifier(2)), await _bed.AddModel("c", PipelineModels.Classifier(3)) };
        var pipeline = PipelineTestBed.Unique("ensemble");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "{{{models[0].Name}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "{{{models[1].Name}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "c", "model": "{{{models[2].Name}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "mean", "combine": "average", "from": ["a.probabilities", "b.probabilities"]},
              {"name": "weighted", "combine": "weighted_average", "from": ["a.probabilities", "b.probabilities"], "weights": [1, 3]},
              {"name": "vote", "combine": "vote", "from": ["a.probabilities", "b.probabilities", "c.probabilities"]},
              {"name": "both", "combine": "concat", "from": ["a.probabilities", "b.logits"], "axis": 1}
            ], "outputs": {"mean": "mean.output", "weighted": "weighted.output", "vote": "vote.output", "both": "both.output"}}
            """);
        float[] x = [1f, -2f, 0.5f, 3f, -1f, 0.25f, 2f, -0.5f, 0.3f, 0.3f, -4f, 1f];

        var response = await _bed.Infer(pipeline, "x", x, 4);

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        var direct = models.Select(m => DirectOnnx.RunFloat(m.Path, "x", x, [3, 4])).ToArray();
        var (a, b, c) = (direct[0]["probabilities"], direct[1]["probabilities"], direct[2]["probabilities"]);
        response.Output("mean").ToArray<float>().ShouldBe([.. a.Select((v, i) => (v + b[i]) / 2)], tolerance: 1e-6f);
        response.Output("weighted").ToArray<float>().ShouldBe([.. a.Select((v, i) => (v + 3 * b[i]) / 4)], tolerance: 1e-6f);
        long[] votes = [.. Enumerable.Range(0, 3).Select(row => Majority(ArgMax(a, row), ArgMax(b, row), ArgMax(c, row)))];
        response.Output("vote").ToArray<long>().ShouldBe(votes);
        float[] both = [.. Enumerable.Range(0, 3).SelectMany(row => a.Skip(row * 3).Take(3).Concat(direct[1]["logits"].Skip(row * 3).Take(3)))];
        response.Output("both").ToArray<float>().ShouldBe(both);
        response.Output("both").Shape.ShouldBe([3L, 6L]);
    }

    [Fact]
    public async Task ACascadeAnswersConfidentRequestsFromTheSmallModelAndSendsOnlyTheRestToTheLargeOne()
    {
        var (small, smallPath) = await _bed.AddModel("small", PipelineModels.Classifier(1));
        var (large, largePath) = await _bed.AddModel("large", PipelineModels.Classifier(2));
        var pipeline = PipelineTestBed.Unique("cascade");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "small", "model": "{{{small}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "large", "model": "{{{large}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "answer", "switch": {"on": "small.probabilities", "max_below": 0.8}, "then": "large.probabilities", "else": "small.probabilities"}
            ], "outputs": {"probabilities": "answer.output"}}
            """);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        var inputs = Enumerable.Range(1, 12).Select(k => new[] { 0.15f * k, -0.1f * k, 0.05f * k, 0.2f * k }).ToArray();
        var uncertain = inputs.Count(x => DirectOnnx.RunFloat(smallPath, "x", x, [1, 4])["probabilities"].Max() < 0.8f);
        uncertain.ShouldBeInRange(1, inputs.Length - 1, "the inputs must exercise both branches");

        foreach (var x in inputs)
        {
            var response = await _bed.Infer(pipeline, "x", x, 4);
            var fromSmall = DirectOnnx.RunFloat(smallPath, "x", x, [1, 4])["probabilities"];
            var expected = fromSmall.Max() < 0.8f ? DirectOnnx.RunFloat(largePath, "x", x, [1, 4])["probabilities"] : fromSmall;
            response.Output("probabilities").ToArray<float>().ShouldBe(expected);
        }

        // Each step model counts what reached it; the pipeline counts its own requests.
        await Poll.For(async () => (Small: await _bed.Served(small), Large: await _bed.Served(large), Pipeline: await _bed.Served(pipeline)), s => s == (inputs.Length, uncertain, inputs.Length), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task APipelinesDeadlineReachesIntoItsStepsSoAStepStillQueuedWhenItPassesIsDroppedByName()
    {
        // The step's worker holds a lone request 600 ms hoping for a fuller batch: the pipeline's 100 ms deadline passes first.
        var (held, _) = await _bed.AddModel("held", TestModels.Scale(1f), """{"max_batch_size": 8, "dynamic_batching": {"max_queue_delay_microseconds": 600000}}""");
        var (after, _) = await _bed.AddModel("after", TestModels.Scale(2f));
        var pipeline = PipelineTestBed.Unique("deadline");
        (await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "held_step", "model": "{{{held}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "after_step", "model": "{{{after}}}", "inputs": {"x": "held_step.y"}}
            ], "outputs": {"y": "after_step.y"}}
            """)).Status.ShouldBe(VersionStatus.Ready);

        var error = await Should.ThrowAsync<DeadlineExceededException>(() => _bed.Infer(pipeline, "x", [1f, 2f], 2, timeout: TimeSpan.FromMilliseconds(100)));

        error.Message.ShouldStartWith($"Pipeline '{pipeline}' step 'held_step' (model '{held}'): ");
        (await _bed.Infer(pipeline, "x", [1f, 2f], 2)).Output("y").ToArray<float>().ShouldBe([2f, 4f]);
    }

    [Fact]
    public async Task AStepThatFailsIsNamedInTheErrorAndThePipelineKeepsServing()
    {
        var (risky, _) = await _bed.AddModel("risky", TestModels.FailingScale(1f));
        var pipeline = PipelineTestBed.Unique("failing");
        (await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [{"name": "risky_step", "model": "{{{risky}}}", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "risky_step.y"}}
            """)).Status.ShouldBe(VersionStatus.Ready);

        var error = await Should.ThrowAsync<InferenceFailedException>(() => _bed.Infer(pipeline, "x", [5f, 1f], 2));

        error.Message.ShouldStartWith($"Pipeline '{pipeline}' step 'risky_step' (model '{risky}'): ");
        (await _bed.Infer(pipeline, "x", [1f, 1f], 2)).Output("y").ToArray<float>().ShouldBe([1f, 1f]);
    }

    [Fact]
    public async Task APipelineCallingAnUnknownModelOrMiswiringARealOneIsNotReadyAndSaysWhy()
    {
        var (classifier, _) = await _bed.AddModel("classifier", PipelineModels.Classifier(1));
        var (pairs, _) = await _bed.AddModel("pairs", TestModels.Scale(1f));
        var unknown = PipelineTestBed.Unique("unknown");
        var miswired = PipelineTestBed.Unique("miswired");

        var missing = await _bed.AddPipeline(unknown, "1", """
            {"inputs": ["x"], "steps": [{"name": "s", "model": "no-such-model", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "s.y"}}
            """);
        var mismatch = await _bed.AddPipeline(miswired, "1", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "c", "model": "{{{classifier}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "p", "model": "{{{pairs}}}", "inputs": {"x": "c.probabilities"}}
            ], "outputs": {"y": "p.y"}}
            """);

        missing.Status.ShouldBe(VersionStatus.Failed);
        missing.Reason.ShouldBe("pipeline: step 's' calls unknown model 'no-such-model'.");
        mismatch.Status.ShouldBe(VersionStatus.Failed);
        mismatch.Reason!.ShouldContain("step 'p' input 'x' reads 'c.probabilities': shape [-1,3] does not match [-1,2]");
        var error = await Should.ThrowAsync<ModelNotReadyException>(() => _bed.Infer(unknown, "x", [1f, 2f, 3f, 4f], 4));
        error.Message.ShouldContain("unknown model 'no-such-model'");
    }

    [Fact]
    public async Task AnUploadedDefinitionBecomesAPipelineVersion()
    {
        var (scale, _) = await _bed.AddModel("scale", TestModels.Scale(4f));
        var pipeline = PipelineTestBed.Unique("uploaded");
        var json = $$$"""{"inputs": ["x"], "steps": [{"name": "s", "model": "{{{scale}}}", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "s.y"}}""";

        var info = await _bed.Version(pipeline, "1").Upload(System.Text.Encoding.UTF8.GetBytes(json), null, "stable");

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.Registration.Kind.ShouldBe(VersionKind.Pipeline);
        info.Registration.ArtifactPath.ShouldEndWith("pipeline.json");
        (await _bed.Infer(pipeline, "x", [1f, -1f], 2, version: "stable")).Output("y").ToArray<float>().ShouldBe([4f, -4f]);
        await Should.ThrowAsync<ConflictException>(() => _bed.Version(pipeline, "1").Scale(2, "test"));
    }

    private static int ArgMax(float[] scores, int row) => Array.IndexOf(scores, scores.Skip(row * 3).Take(3).Max(), row * 3) - row * 3;

    private static long Majority(params int[] votes) => votes.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}
