namespace Cluster.Benchmarks;

/// <summary>What one measured cell produced: completed calls, throughput and latency percentiles.</summary>
internal sealed record LoadResult(string Target, string Mode, int Concurrency, long Completed, long Failed, double Seconds, double[] LatenciesMs)
{
    public double Throughput => Completed / Seconds;

    public double Percentile(double quantile)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var index = Math.Clamp((int)Math.Ceiling(quantile * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1);
        return LatenciesMs[index];
    }
}
