namespace Cluster.Benchmarks;

/// <summary>
/// The silo's own allocation and GC counts, read from its <c>/metrics</c> (.NET's <c>System.Runtime</c> meter). Bytes
/// allocated per request and gen-2 collections per thousand requests do not move with the neighbours' load the way
/// throughput does, and they are what pooling and copy removal change.
/// </summary>
internal readonly record struct SiloRuntime(double AllocatedBytes, double Gen2Collections)
{
    public static async Task<SiloRuntime> ReadAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("/metrics");
        return new SiloRuntime(
            PrometheusText.Sum(metrics, "dotnet_gc_heap_total_allocated_bytes_total"),
            PrometheusText.Sum(metrics, "dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""));
    }

    public static SiloRuntime operator -(SiloRuntime after, SiloRuntime before) =>
        new(after.AllocatedBytes - before.AllocatedBytes, after.Gen2Collections - before.Gen2Collections);
}
