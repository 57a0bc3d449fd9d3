using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Telemetry;
using Cluster.Tensors;
using Cluster.Tests.Grains;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// A switch routes each row of a batched request on its own: confident rows are answered by the
/// small model, the others by the large one, merged back in row order; both paths are counted.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PipelineRowSwitchTests(GrainClusterFixture fixture) : IDisposable
{
    private readonly PipelineTestBed _bed = new(fixture.Grains);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task ABatchedCascadeSendsOnlyItsUncertainRowsToTheLargeModelAndMergesTheAnswersInRowOrder()
    {
        var (small, smallPath) = await _bed.AddModel("small", PipelineModels.Classifier(1));
        var (large, largePath) = await _bed.AddModel("large", PipelineModels.Classifier(2));
        var pipeline = PipelineTestBed.Unique("row-cascade");
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x"], "steps": [
              {"name": "small", "model": "{{{small}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "large", "model": "{{{large}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "answer", "switch": {"on": "small.probabilities", "max_below": 0.8}, "then": "large.probabilities", "else": "small.probabilities"},
              {"name": "top", "template": "top_k", "from": "answer.output", "k": 1, "labels": ["cat", "dog", "fish"]}
            ], "outputs": {"probabilities": "answer.output", "label": "top.labels"}}
            """);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        var rows = Enumerable.Range(1, 12).Select(k => new[] { 0.15f * k, -0.1f * k, 0.05f * k, 0.2f * k }).ToArray();
        var fromSmall = DirectOnnx.RunFloat(smallPath, "x", [.. rows.SelectMany(r => r)], [rows.Length, 4])["probabilities"];
        var uncertain = Enumerable.Range(0, rows.Length).Where(r => fromSmall.AsSpan(r * 3, 3).ToArray().Max() < 0.8f).ToArray();
        uncertain.Length.ShouldBeInRange(2, rows.Length - 2, "the batch must mix confident and uncertain rows");
        var branches = new ConcurrentDictionary<string, long>();
        using var listener = BranchListener(pipeline, branches);

        var response = await _bed.Infer(pipeline, "x", [.. rows.SelectMany(r => r)], 4);

        var fromLarge = DirectOnnx.RunFloat(largePath, "x", [.. uncertain.SelectMany(r => rows[r])], [uncertain.Length, 4])["probabilities"];
        var expected = Enumerable.Range(0, rows.Length).SelectMany(r => Array.IndexOf(uncertain, r) is var i and >= 0 ? fromLarge[(i * 3)..(i * 3 + 3)] : fromSmall[(r * 3)..(r * 3 + 3)]).ToArray();
        response.Output("probabilities").Shape.ShouldBe([12L, 3]);
        response.Output("probabilities").ToArray<float>().ShouldBe(expected, tolerance: 1e-6f);
        string[] classes = ["cat", "dog", "fish"];
        response.Output("label").ToStrings().ShouldBe([.. Enumerable.Range(0, rows.Length).Select(r => classes[Array.IndexOf(expected, expected.AsSpan(r * 3, 3).ToArray().Max(), r * 3) - r * 3])]);
        branches.ShouldBe(new Dictionary<string, long> { ["then"] = uncertain.Length, ["else"] = rows.Length - uncertain.Length }, ignoreOrder: true);
        // The large model saw one request holding just the uncertain rows; the small one the whole batch.
        await Poll.For(async () => (Large: await Rows(large), Small: await Rows(small)), r => r == (uncertain.Length, rows.Length), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task EachBranchRunsOnItsRowsOfTheRequestsInputsAndReusesWhatWasComputedBeforeTheSwitch()
    {
        var (small, smallPath) = await _bed.AddModel("small", PipelineModels.Classifier(1));
        var (scale, _) = await _bed.AddModel("scale", TestModels.Scale(10f));
        var rows = Enumerable.Range(1, 8).Select(k => new[] { 0.3f * k - 1, 0.2f * k, -0.25f * k, 0.1f }).ToArray();
        var probabilities = DirectOnnx.RunFloat(smallPath, "x", [.. rows.SelectMany(r => r)], [rows.Length, 4])["probabilities"];
        var argmax = Enumerable.Range(0, rows.Length).Select(r => Array.IndexOf(probabilities, probabilities.AsSpan(r * 3, 3).ToArray().Max(), r * 3) - r * 3).ToArray();
        var picked = argmax[0];
        argmax.Count(a => a == picked).ShouldBeInRange(1, rows.Length - 1, "the rows must go both ways");
        var pipeline = PipelineTestBed.Unique("row-branches");
        // 'then' runs a model on another input of the request; 'else' reads a template step that ran before the switch.
        var info = await _bed.AddPipeline(pipeline, "1", $$$"""
            {"inputs": ["x", "v"], "steps": [
              {"name": "small", "model": "{{{small}}}", "inputs": {"x": "pipeline.x"}},
              {"name": "top", "template": "top_k", "from": "small.probabilities", "k": 2},
              {"name": "tenfold", "model": "{{{scale}}}", "inputs": {"x": "pipeline.v"}},
              {"name": "pick", "switch": {"on": "small.probabilities", "argmax_equals": {{{picked}}}}, "then": "tenfold.y", "else": "top.scores"}
            ], "outputs": {"y": "pick.output"}}
            """);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        var v = Enumerable.Range(0, rows.Length * 2).Select(i => (float)i).ToArray();

        var response = await fixture.Grains.GetGrain<Cluster.Grains.IRouterGrain>(pipeline).Infer(new InferenceRequest(null,
            [TensorData.From<float>("x", [.. rows.SelectMany(r => r)], rows.Length, 4), TensorData.From<float>("v", v, rows.Length, 2)], []), null);

        var expected = Enumerable.Range(0, rows.Length).SelectMany(r => argmax[r] == picked
            ? [v[2 * r] * 10, v[2 * r + 1] * 10]
            : probabilities.AsSpan(r * 3, 3).ToArray().OrderDescending().Take(2)).ToArray();
        response.Output("y").ToArray<float>().ShouldBe(expected, tolerance: 1e-6f);
        await Poll.For(() => Rows(scale), r => r == argmax.Count(a => a == picked), TimeSpan.FromSeconds(15));
    }

    private async Task<long> Rows(string model) =>
        (await fixture.Grains.GetGrain<Cluster.Grains.IModelStatsGrain>(GrainKeys.Version(model, "1")).Get()).Total.Rows;

    private static MeterListener BranchListener(string pipeline, ConcurrentDictionary<string, long> branches)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Name == "cluster.pipeline.switch.branches") l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? model = null, branch = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "model") model = tag.Value as string;
                if (tag.Key == "branch") branch = tag.Value as string;
            }
            if (model == pipeline && branch is not null) branches.AddOrUpdate(branch, value, (_, total) => total + value);
        });
        listener.Start();
        return listener;
    }
}
