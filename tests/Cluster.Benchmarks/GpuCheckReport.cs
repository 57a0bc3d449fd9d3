using System.Globalization;
using System.Text;

namespace Cluster.Benchmarks;

/// <summary>
/// What the GPU check found: one line per check as it runs (OK, FAIL, or FALLBACK where
/// <c>--device auto</c> ran on the CPU), the throughput table, and one result line at the end.
/// </summary>
internal sealed class GpuCheckReport
{
    private readonly StringBuilder _markdown = new();
    private readonly List<string> _failures = [];
    private readonly List<(string Model, string Path, string Device, double[] Rates)> _rates = [];
    private int _checks;

    /// <summary>Why CUDA is not used (<c>--device auto</c> only); null when the check runs on CUDA.</summary>
    public string? Fallback { get; set; }

    public string Gpu => Fallback is null ? "GPU" : "CPU (fallback)";

    public void Info(string line) => Write($"- {line}");

    public void Check(bool ok, string line)
    {
        _checks++;
        if (!ok) _failures.Add(line);
        Write($"- {(ok ? "OK" : "FAIL")}: {line}");
    }

    /// <summary>A check that needs CUDA, on a run that fell back to the CPU: reported, not failed.</summary>
    public void Skipped(string line) => Write($"- FALLBACK: {line}");

    public void Rate(string model, string path, string device, int batchIndex, double rowsPerSecond)
    {
        var i = _rates.FindIndex(r => (r.Model, r.Path, r.Device) == (model, path, device));
        if (i < 0)
        {
            _rates.Add((model, path, device, new double[GpuCheck.Batches.Length]));
            i = _rates.Count - 1;
        }
        _rates[i].Rates[batchIndex] = rowsPerSecond;
    }

    /// <summary>Prints the table and the result line, writes the Markdown file, and gives the exit code.</summary>
    public async Task<int> Finish(string? path)
    {
        if (_rates.Count > 0)
        {
            Write("");
            Write("| model | path | provider | " + string.Join(" | ", GpuCheck.Batches.Select(b => $"batch {b} rows/s")) + " |");
            Write("|---|---|---|" + string.Concat(GpuCheck.Batches.Select(_ => "---:|")));
            foreach (var (model, route, device, rates) in _rates)
            {
                Write($"| {model} | {route} | {device} | " + string.Join(" | ", rates.Select(r => F(r, 0))) + " |");
                // After the CPU row of a pair, how many times the accelerated row's throughput it is.
                if (device == "CPU" && _rates.Find(r => (r.Model, r.Path) == (model, route) && r.Device != "CPU").Rates is { } gpu)
                {
                    Write($"| {model} | {route} | {Gpu} ÷ CPU | " + string.Join(" | ", gpu.Zip(rates, (g, c) => F(g / c, 2) + "×")) + " |");
                }
            }
            Write("");
        }
        var result = _failures.Count > 0
            ? $"GPU CHECK: FAIL, {_failures.Count} of {_checks} checks failed: {string.Join("; ", _failures)}"
            : Fallback is not null
                ? $"GPU CHECK: CPU FALLBACK (--device auto): the CUDA provider is not usable here ({Fallback}); the same path ran on the CPU, {_checks} checks passed"
                : $"GPU CHECK: PASS on CUDA, {_checks} checks passed";
        Write(result);
        if (path is not null) await File.WriteAllTextAsync(path, _markdown.ToString());
        return _failures.Count > 0 ? 1 : 0;
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private void Write(string line)
    {
        Console.WriteLine(line);
        _markdown.AppendLine(line);
    }
}
