using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Tests.Grains;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>A pipeline is versioned, labelled and split like a model: two versions with different steps side by side.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PipelineVersioningTests(GrainClusterFixture fixture) : IDisposable
{
    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    private async Task<(string Pipeline, string APath, string BPath)> TwoVersions()
    {
        var (a, aPath) = await _bed.AddModel("a", PipelineModels.Classifier(1));
        var (b, bPath) = await _bed.AddModel("b", PipelineModels.Classifier(2));
        var pipeline = PipelineTestBed.Unique("versions");
        (await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [{"name": "only", "model": "{{{a}}}", "inputs": {"x": "pipeline.x"}}], "outputs": {"p": "only.probabilities"}}
            """)).Status.ShouldBe(VersionStatus.Ready);
        (await _bed.AddPipeline(pipeline, "2", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "{{{a}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "{{{b}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "mean", "combine": "average", "from": ["a.probabilities", "b.probabilities"]}
            ], "outputs": {"p": "mean.output"}}
            """)).Status.ShouldBe(VersionStatus.Ready);
        return (pipeline, aPath, bPath);
    }

    [Fact]
    public async Task TheHighestReadyVersionServesByDefaultAndANamedVersionOrLabelPicksItsOwn()
    {
        var (pipeline, aPath, bPath) = await TwoVersions();
        float[] x = [1f, -2f, 0.5f, 3f];
        var a = DirectOnnx.RunFloat(aPath, "x", x, [1, 4])["probabilities"];
        var b = DirectOnnx.RunFloat(bPath, "x", x, [1, 4])["probabilities"];
        await fixture.Grains.GetGrain<IModelGrain>(pipeline).SetLabel("stable", "1");

        var latest = await _bed.Infer(pipeline, "x", x, 4);
        var first = await _bed.Infer(pipeline, "x", x, 4, version: "1");
        var stable = await _bed.Infer(pipeline, "x", x, 4, version: "stable");

        latest.ModelVersion.ShouldBe("2");
        latest.Output("p").ToArray<float>().ShouldBe([.. a.Select((v, i) => (v + b[i]) / 2)], tolerance: 1e-6f);
        first.ModelVersion.ShouldBe("1");
        first.Output("p").ToArray<float>().ShouldBe(a);
        stable.ModelVersion.ShouldBe("1");
    }

    [Fact]
    public async Task AnABSplitSendsRequestsToBothPipelineVersionsAndEachAnswersWithItsOwnSteps()
    {
        var (pipeline, aPath, bPath) = await TwoVersions();
        await fixture.Grains.GetGrain<IModelGrain>(pipeline).SetTraffic(new TrafficPolicy(ImmutableDictionary<string, double>.Empty.Add("1", 1).Add("2", 1), Sticky: false));
        float[] x = [0.3f, 0.3f, -4f, 1f];
        var a = DirectOnnx.RunFloat(aPath, "x", x, [1, 4])["probabilities"];
        var b = DirectOnnx.RunFloat(bPath, "x", x, [1, 4])["probabilities"];
        var answered = new Dictionary<string, int> { ["1"] = 0, ["2"] = 0 };

        for (var i = 0; i < 60; i++)
        {
            var response = await _bed.Infer(pipeline, "x", x, 4);
            answered[response.ModelVersion]++;
            float[] expected = response.ModelVersion == "1" ? a : [.. a.Select((v, j) => (v + b[j]) / 2)];
            response.Output("p").ToArray<float>().ShouldBe(expected, tolerance: 1e-6f);
        }

        // Each arm's chance is 1/2: fewer than 10 of 60 on one arm happens about once in 10^6 runs.
        answered["1"].ShouldBeGreaterThan(10);
        answered["2"].ShouldBeGreaterThan(10);
        await Poll.For(async () => (V1: await _bed.Served(pipeline, "1"), V2: await _bed.Served(pipeline, "2")), s => s == (answered["1"], answered["2"]), TimeSpan.FromSeconds(15));
    }
}
