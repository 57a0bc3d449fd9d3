using System.Globalization;
using System.Text;

namespace Cluster.Benchmarks;

/// <summary>Prints results as Markdown tables with the side-by-side ratios and the targets.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public string Text => _text.ToString();

    public void Line(string line = "")
    {
        _text.AppendLine(line);
        Console.WriteLine(line);
    }

    public void Table(string title, IReadOnlyList<LoadResult> results)
    {
        Line($"### {title}");
        Line();
        Line("| target | batching | concurrency | req/s | p50 ms | p99 ms | failed |");
        Line("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line($"| {r.Target} | {r.Mode} | {r.Concurrency} | {F(r.Throughput, 0)} | {F(r.Percentile(0.5), 2)} | {F(r.Percentile(0.99), 2)} | {r.Failed} |");
        }
        Line();
    }

    /// <summary>The middle value (the upper one of an even count), as the side-by-side rounds report it.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        // An even count (four rounds) has two middle values; the median is their mean.
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
