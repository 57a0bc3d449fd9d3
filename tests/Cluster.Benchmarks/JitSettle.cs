namespace Cluster.Benchmarks;

/// <summary>
/// Keeps every path under load until the silo's JIT has gone quiet. A fresh silo compiles ~30,000 methods through the tiers
/// and, on one core, takes ~150 s of load to finish; rounds measured before that charge the served side with compile time
/// that raw ONNX Runtime never pays, and the first rounds of a run came out slower for every arm.
/// </summary>
internal static class JitSettle
{
    private static readonly TimeSpan Chunk = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Quiet: fewer methods than this compiled in one <see cref="Chunk"/> of load over all paths.</summary>
    private const double QuietMethods = 25;

    public static async Task WaitAsync(HttpClient http, IReadOnlyList<Func<int, Task>> paths, int concurrency)
    {
        var started = DateTime.UtcNow;
        var before = await CompiledMethods(http);
        while (DateTime.UtcNow - started < Limit)
        {
            foreach (var path in paths) await LoadRunner.ClosedLoop("jit settle", "adaptive", concurrency, TimeSpan.Zero, Chunk / paths.Count, path);
            var after = await CompiledMethods(http);
            if (after - before < QuietMethods)
            {
                Console.WriteLine($"JIT quiet after {(DateTime.UtcNow - started).TotalSeconds:F0} s more of load ({after:F0} methods compiled in all)");
                return;
            }
            before = after;
        }
        Console.WriteLine($"JIT still compiling after {Limit.TotalSeconds:F0} s more of load; measuring anyway");
    }

    private static async Task<double> CompiledMethods(HttpClient http) =>
        PrometheusText.Sum(await http.GetStringAsync("/metrics"), "dotnet_jit_compiled_methods_total");
}
