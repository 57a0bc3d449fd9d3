using System.Diagnostics;
using Cluster.Client;

namespace Cluster.Benchmarks;

/// <summary>
/// A step load (low → 4× → low) at open-loop rates on the PaddleOCR classifier, served twice side by
/// side: one fixed replica, and an autoscaled version (1..4 replicas, 2 ongoing requests per replica,
/// 2 s up / 10 s down). Sessions get one intra-op thread each (silo started with
/// Inference:IntraOpThreads=1), so a replica is one core's worth and more replicas are more capacity.
/// Prints p50/p99 per phase and every replica change with its time and load.
/// </summary>
internal static class StepLoad
{
    public const string Fixed = "stepfixed";
    public const string Autoscaled = "stepauto";

    public static readonly Dictionary<string, string> Configs = new()
    {
        [Fixed] = """{"max_batch_size": 64}""",
        [Autoscaled] = """{"max_batch_size": 64, "autoscaling": {"min_replicas": 1, "max_replicas": 4, "target_queue_per_replica": 2, "upscale_delay_s": 2, "downscale_delay_s": 10}}""",
    };

    private static readonly (string Name, double Factor, double Seconds)[] Phases = [("before", 1, 10), ("during (4×)", 4, 20), ("after", 1, 25)];

    public static async Task Measure(Report report, BenchModel model, InferenceClient client)
    {
        var single = await LoadRunner.ClosedLoop("client", Fixed, 8, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), Targets.Client(client, model, Fixed));
        // 4× the low rate is what one replica can just do: the fixed version runs at saturation during the step.
        var low = single.Throughput / 4;
        report.Line("### Step load: one fixed replica vs autoscaling (PaddleOCR classifier, open loop, client)");
        report.Line();
        report.Line($"One replica (one intra-op thread) did {Report.F(single.Throughput, 0)} req/s at concurrency 8; low rate {Report.F(low, 0)} req/s, step {Report.F(4 * low, 0)} req/s. Phases: {string.Join(", ", Phases.Select(p => $"{p.Name} {p.Seconds:F0} s"))}.");
        report.Line();
        report.Line("| version | phase | req/s offered | p50 ms | p99 ms | failed | replicas at phase end |");
        report.Line("|---|---|---:|---:|---:|---:|---:|");
        foreach (var mode in new[] { Fixed, Autoscaled })
        {
            var started = DateTimeOffset.UtcNow;
            foreach (var (name, factor, seconds) in Phases)
            {
                var result = await LoadRunner.OpenLoop("client", mode, low * factor, TimeSpan.FromSeconds(seconds), Targets.Client(client, model, mode));
                var replicas = (await client.GetModelAsync(model.Served(mode))).Versions[0].Replicas;
                report.Line($"| {mode} | {name} | {Report.F(low * factor, 0)} | {Report.F(result.Percentile(0.5), 1)} | {Report.F(result.Percentile(0.99), 1)} | {result.Failed} | {replicas} |");
            }
            if (mode == Autoscaled)
            {
                var status = await client.GetAutoscalerAsync(model.Served(mode), "1");
                report.Line();
                report.Line("Replica changes of the autoscaled version (seconds from the start of its first phase):");
                report.Line();
                foreach (var d in status.Decisions.Where(d => d.At >= started))
                {
                    report.Line($"- {Report.F((d.At - started).TotalSeconds, 1)} s: {d.From} → {d.To} (load {Report.F(d.Load, 1)}): {d.Reason}");
                }
                var directions = status.Decisions.Where(d => d.At >= started).Select(d => Math.Sign(d.To - d.From)).ToArray();
                var reversals = directions.Zip(directions.Skip(1)).Count(p => p.First != p.Second);
                report.Line();
                report.Line($"Direction reversals: {reversals} (one up-then-down step is 1; more would be flapping).");
            }
        }
        report.Line();
    }
}
