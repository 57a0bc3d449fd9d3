using System.Diagnostics;
using System.Globalization;

namespace Cluster.Benchmarks;

/// <summary>GPU memory as nvidia-smi reports it, in MiB; null where nvidia-smi is missing or cannot say.</summary>
internal static class GpuMemoryProbe
{
    public static long? TotalMiB() => First(Query("--query-gpu=memory.total", "-i", "0"));

    public static long? UsedMiB() => First(Query("--query-gpu=memory.used", "-i", "0"));

    /// <summary>
    /// What one process holds on the GPU. Null when nvidia-smi lists no such process, as in a
    /// container whose process ids it cannot see; callers then fall back to the device-wide figure.
    /// </summary>
    public static long? ProcessMiB(int processId)
    {
        var rows = Query("--query-compute-apps=pid,used_memory");
        foreach (var row in rows ?? [])
        {
            var cells = row.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length == 2 && cells[0] == processId.ToString(CultureInfo.InvariantCulture) && long.TryParse(cells[1], CultureInfo.InvariantCulture, out var mib)) return mib;
        }
        return null;
    }

    private static long? First(string[]? rows) =>
        rows is [var row, ..] && long.TryParse(row.Trim(), CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string[]? Query(params string[] query)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", [.. query, "--format=csv,noheader,nounits"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0) return null;
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
