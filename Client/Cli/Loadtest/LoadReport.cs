using System.Globalization;

namespace Cluster.Cli.Loadtest;

/// <summary>Prints a sweep's results as a table, CSV or a Markdown table (same columns in each).</summary>
internal static class LoadReport
{
    private static readonly string[] Headers =
        ["mode", "level", "requests", "failures", "seconds", "throughput_per_s", "p50_ms", "p90_ms", "p99_ms", "server_queue_ms", "server_compute_ms"];

    /// <summary>The same columns, short enough for an 80-column terminal.</summary>
    private static readonly string[] TableHeaders =
        ["mode", "level", "requests", "failed", "s", "req/s", "p50 ms", "p90 ms", "p99 ms", "queue ms", "compute ms"];

    public static void Write(CliOutput output, string format, IReadOnlyList<LevelResult> results)
    {
        var rows = results.Select(Cells).ToArray();
        switch (format)
        {
            case "json":
                output.Line(Json(rows));
                break;
            case "csv":
                output.Line(string.Join(",", Headers));
                foreach (var row in rows) output.Line(string.Join(",", row));
                break;
            case "markdown":
                output.Line("| " + string.Join(" | ", Headers) + " |");
                output.Line("|" + string.Concat(Headers.Select(_ => "---|")));
                foreach (var row in rows) output.Line("| " + string.Join(" | ", row) + " |");
                break;
            default:
                output.Table(TableHeaders, rows);
                break;
        }
        foreach (var failed in results.Where(r => r.FirstError is not null))
        {
            output.Error.WriteLine($"{failed.Level}: {failed.Failures} failures, first: {failed.FirstError}");
        }
    }

    /// <summary>One object per level, the CSV's columns as keys, numbers as JSON numbers (empty cells as null).</summary>
    private static string Json(string[][] rows)
    {
        var levels = new System.Text.Json.Nodes.JsonArray();
        foreach (var row in rows)
        {
            var level = new System.Text.Json.Nodes.JsonObject();
            for (var i = 0; i < Headers.Length; i++)
            {
                level[Headers[i]] = i == 0 ? row[i] : row[i].Length == 0 ? null : double.Parse(row[i], CultureInfo.InvariantCulture);
            }
            levels.Add(level);
        }
        return levels.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string[] Cells(LevelResult r) =>
    [
        r.Level.Mode, Number(r.Level.Value), Whole(r.Requests), Whole(r.Failures), Number(r.Seconds), Number(r.ThroughputPerSecond),
        Number(r.P50Ms), Number(r.P90Ms), Number(r.P99Ms), r.ServerQueueMs is { } q ? Number(q) : "", r.ServerComputeMs is { } c ? Number(c) : "",
    ];

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);
}
