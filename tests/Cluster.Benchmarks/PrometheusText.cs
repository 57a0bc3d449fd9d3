using System.Globalization;

namespace Cluster.Benchmarks;

/// <summary>Reads counters out of the silo's <c>/metrics</c> page (Prometheus text format).</summary>
internal static class PrometheusText
{
    /// <summary>
    /// The sum of every sample of <paramref name="name"/> (over all label sets, or only those holding <paramref name="label"/>,
    /// e.g. <c>gc_heap_generation="gen2"</c>). A sample line is "name{labels} value [timestamp]" or "name value [timestamp]".
    /// </summary>
    public static double Sum(string metrics, string name, string? label = null) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is '{' or ' '))
            .Where(l => label is null || l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.IndexOf('}') is var close and >= 0 ? close + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
