using Cluster.Client;
using Cluster.Tensors;
using Cluster.Tests.Support;

namespace Cluster.Benchmarks;

/// <summary>
/// What a pipeline adds per step against a client calling the same models one by one: two small
/// models (x [n,2] → y, scaled by 2 and by 3) served alone, called in turn by the client, and as a
/// two-step pipeline, through the .NET client, in alternating rounds so machine noise hits all alike.
/// </summary>
internal static class PipelineCost
{
    private const string First = "chain-first";
    private const string Second = "chain-second";
    private const string Chain = "chain-both";
    private const int Rounds = 3;
    private static readonly int[] Concurrencies = [1, 8];

    public static void WriteRepository(string repository)
    {
        Write(repository, First, "model.onnx", TestModels.Scale(2f));
        Write(repository, Second, "model.onnx", TestModels.Scale(3f));
        Write(repository, Chain, "pipeline.json", System.Text.Encoding.UTF8.GetBytes("""
            {
              "inputs": ["x"],
              "steps": [
                {"name": "first", "model": "chain-first", "inputs": {"x": "pipeline.x"}},
                {"name": "second", "model": "chain-second", "inputs": {"x": "first.y"}}
              ],
              "outputs": {"y": "second.y"}
            }
            """));
    }

    public static async Task Measure(Report report, InferenceClient client, TimeSpan warmup, TimeSpan duration)
    {
        var x = TensorData.From<float>("x", [1f, 2f], 1, 2);
        var expected = await client.InferAsync(Chain, [x]);
        if (expected.Output("y").ToArray<float>() is not [6f, 12f]) throw new InvalidOperationException("The pipeline does not compute 3·(2·x).");
        Func<int, Task> one = async _ => await client.InferAsync(First, [x]);
        Func<int, Task> byClient = async _ =>
        {
            var y = (await client.InferAsync(First, [x])).Output("y");
            await client.InferAsync(Second, [y with { Name = "x" }]);
        };
        Func<int, Task> pipeline = async _ => await client.InferAsync(Chain, [x]);

        report.Line("### A two-step pipeline against the client calling both models (client, no batching)");
        report.Line();
        report.Line("| concurrency | one model: req/s, p50 ms | two calls by the client: req/s, p50 ms | pipeline of the two: req/s, p50 ms | added p50 per extra step: client / pipeline |");
        report.Line("|---:|---|---|---|---|");
        foreach (var concurrency in Concurrencies)
        {
            var cells = new Dictionary<string, List<LoadResult>> { ["one"] = [], ["client"] = [], ["pipeline"] = [] };
            // A round of each first, not counted: tiered JIT keeps optimising the hot paths for several seconds.
            foreach (var (name, call) in new[] { ("one", one), ("client", byClient), ("pipeline", pipeline) }) await LoadRunner.ClosedLoop(name, "-", concurrency, warmup, duration, call);
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (name, call) in new[] { ("one", one), ("client", byClient), ("pipeline", pipeline) })
                {
                    cells[name].Add(await LoadRunner.ClosedLoop(name, "-", concurrency, warmup, duration, call));
                }
            }
            double Rate(string name) => Report.Median(cells[name].Select(r => r.Throughput));
            double P50(string name) => Report.Median(cells[name].Select(r => r.Percentile(0.5)));
            report.Line($"| {concurrency} | {Report.F(Rate("one"), 0)}, {Report.F(P50("one"), 2)} | {Report.F(Rate("client"), 0)}, {Report.F(P50("client"), 2)} | " +
                $"{Report.F(Rate("pipeline"), 0)}, {Report.F(P50("pipeline"), 2)} | {Report.F(P50("client") - P50("one"), 2)} / {Report.F(P50("pipeline") - P50("one"), 2)} ms |");
        }
        report.Line();
        report.Line("Medians of the rounds. The extra step's cost is the two-step p50 minus the one-model p50.");
        report.Line();
    }

    private static void Write(string repository, string model, string file, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(repository, model, "1"));
        File.WriteAllBytes(Path.Combine(repository, model, "1", file), bytes);
    }
}
