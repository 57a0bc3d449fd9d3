using System.Diagnostics;
using Cluster.Client;
using Cluster.Tensors;

namespace Cluster.Benchmarks;

/// <summary>
/// More models than the silo's memory budget holds: six 32 MiB-weight models under a budget that
/// fits about three, asked by one caller with a skewed pattern (80 % to two hot models, 20 % spread
/// over four cold ones). Requests to an evicted model wait for a cold start, which itself evicts
/// the least recently used model. Prints warm and cold latencies and the evictions.
/// </summary>
internal static class Paging
{
    public const long BudgetBytes = 140L * 1024 * 1024;
    public const int Models = 6;
    private const int Requests = 200;

    public static string Name(int i) => $"paged-{i}";

    public static async Task Measure(Report report, InferenceClient client, HttpClient http)
    {
        var input = TensorData.From<float>("x", [.. Enumerable.Range(0, 1024).Select(i => i / 1024f)], 1, 1024);
        var random = new Random(7);
        var warm = new List<double>();
        var cold = new List<double>();
        var failed = 0;
        for (var i = 0; i < Requests; i++)
        {
            var model = Name(random.NextDouble() < 0.8 ? random.Next(2) : 2 + random.Next(Models - 2));
            var resident = (await client.GetModelAsync(model)).Versions[0].Replicas > 0;
            var start = Stopwatch.GetTimestamp();
            try
            {
                await client.InferAsync(model, [input]);
                (resident ? warm : cold).Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (Exception)
            {
                failed++;
            }
        }
        warm.Sort();
        cold.Sort();
        var memory = await http.GetStringAsync("/api/memory");
        using var document = System.Text.Json.JsonDocument.Parse(memory);
        var silo = document.RootElement.GetProperty("silos")[0];
        report.Line("### Paging: six 32 MiB models, memory budget for about three (one caller, 80 % of requests to two hot models)");
        report.Line();
        report.Line("| requests | warm (model resident) | p50 ms | p99 ms | cold (evicted, loaded on demand) | p50 ms | p99 ms | max ms | failed | evictions |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        report.Line($"| {Requests} | {warm.Count} | {Report.F(Pct(warm, 0.5), 1)} | {Report.F(Pct(warm, 0.99), 1)} | {cold.Count} | {Report.F(Pct(cold, 0.5), 1)} | {Report.F(Pct(cold, 0.99), 1)} | {Report.F(cold.Count > 0 ? cold[^1] : double.NaN, 1)} | {failed} | {silo.GetProperty("evictions").GetInt64()} |");
        report.Line();
        report.Line($"Budget {BudgetBytes >> 20} MiB; resident at the end: {string.Join(", ", silo.GetProperty("replicas").EnumerateArray().Select(r => $"{r.GetProperty("model").GetString()} ({r.GetProperty("bytes").GetInt64() >> 20} MiB)"))}.");
        report.Line();
    }

    private static double Pct(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
