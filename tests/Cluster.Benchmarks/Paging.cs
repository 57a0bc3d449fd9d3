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
        // LoadResult's percentiles are the ones every other table uses.
        var warmResult = new LoadResult("warm", "-", 1, warm.Count, 0, 1, [.. warm.Order()]);
        var coldResult = new LoadResult("cold", "-", 1, cold.Count, 0, 1, [.. cold.Order()]);
        var memory = await http.GetStringAsync("/api/memory");
        using var document = System.Text.Json.JsonDocument.Parse(memory);
        var silo = document.RootElement.GetProperty("silos")[0];
        report.Line("### Paging: six 32 MiB models, memory budget for about three (one caller, 80 % of requests to two hot models)");
        report.Line();
        report.Line("| requests | warm (model resident) | p50 ms | p99 ms | cold (evicted, loaded on demand) | p50 ms | p99 ms | max ms | failed | evictions |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        report.Line($"| {Requests} | {warm.Count} | {Report.F(warmResult.Percentile(0.5), 1)} | {Report.F(warmResult.Percentile(0.99), 1)} | {cold.Count} | {Report.F(coldResult.Percentile(0.5), 1)} | {Report.F(coldResult.Percentile(0.99), 1)} | {Report.F(coldResult.Percentile(1), 1)} | {failed} | {silo.GetProperty("evictions").GetInt64()} |");
        report.Line();
        report.Line($"Budget {BudgetBytes >> 20} MiB; resident at the end: {string.Join(", ", silo.GetProperty("replicas").EnumerateArray().Select(r => $"{r.GetProperty("model").GetString()} ({r.GetProperty("bytes").GetInt64() >> 20} MiB)"))}.");
        report.Line();
    }
}
