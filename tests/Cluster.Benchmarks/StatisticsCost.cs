using Cluster.Client;

namespace Cluster.Benchmarks;

/// <summary>
/// What recording statistics in grain state costs (latency histograms, output distributions, drift
/// profiling and pushes): the same adaptive model with and without <c>"statistics": false</c>,
/// through the .NET client at concurrency 64, alternating rounds so machine noise hits both alike.
/// </summary>
internal static class StatisticsCost
{
    private const int Rounds = 5;
    private const int Concurrency = 64;

    public static async Task Measure(Report report, InferenceClient client, BenchModel[] models, TimeSpan warmup, TimeSpan duration)
    {
        report.Line("### Statistics on vs off (client, adaptive, concurrency 64)");
        report.Line();
        report.Line("| model | req/s with statistics (rounds) | req/s without (rounds) | on / off (medians) |");
        report.Line("|---|---|---|---:|");
        foreach (var model in models)
        {
            var on = new List<double>();
            var off = new List<double>();
            // A round of each first, not counted: tiered JIT keeps optimising the hot path for several seconds.
            await LoadRunner.ClosedLoop("client", "adaptive", Concurrency, warmup, duration, Targets.Client(client, model, "adaptive"));
            await LoadRunner.ClosedLoop("client", "nostats", Concurrency, warmup, duration, Targets.Client(client, model, "nostats"));
            for (var round = 0; round < Rounds; round++)
            {
                on.Add((await LoadRunner.ClosedLoop("client", "adaptive", Concurrency, warmup, duration, Targets.Client(client, model, "adaptive"))).Throughput);
                off.Add((await LoadRunner.ClosedLoop("client", "nostats", Concurrency, warmup, duration, Targets.Client(client, model, "nostats"))).Throughput);
            }
            var ratio = Report.Median(on) / Report.Median(off);
            report.Line($"| {model.Name} | {string.Join(", ", on.Select(t => Report.F(t, 0)))} | {string.Join(", ", off.Select(t => Report.F(t, 0)))} | {Report.F(ratio, 3)} |");
        }
        report.Line();
        report.Line("Target: statistics cost ≤ 3 % (on / off ≥ 0.97).");
        report.Line();
    }
}
