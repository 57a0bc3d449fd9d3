namespace Cluster.Benchmarks;

/// <summary>
/// What statistics and drift cost the silo at the split-core budget of protocols-split-cores.sh (RUN=statistics): the model
/// served twice, as <c>adaptive</c> (the default: latency histograms, output distributions, drift profiling of inputs, the
/// once-a-second pushes) and as <c>nostats</c> (<c>"statistics": false</c>), over HTTP binary in alternating rounds.
/// </summary>
internal static class StatisticsSplitCost
{
    public static async Task<int> RunAsync(BenchModel model, int siloPid, TimeSpan settle, TimeSpan warmup, TimeSpan duration, string? output, string? onlyArm = null)
    {
        using var http = SplitCores.Http();
        await SplitCores.WaitReady(http, model.Served("adaptive"));
        await SplitCores.WaitReady(http, model.Served("nostats"));
        var rounds = new AlternatingArms(["statistics off", "statistics on"], [Targets.HttpBinary(http, model, "nostats"), Targets.HttpBinary(http, model, "adaptive")]);
        await rounds.Settle(http, settle);
        if (onlyArm is not null)
        {
            await rounds.MeasureOne(onlyArm, siloPid, http, warmup, duration);
            return 0;
        }
        var report = new Report();
        report.Line($"### Statistics and drift on vs off: {model.Name}, HTTP binary, adaptive batching, concurrency {Protocols.Concurrency}, silo alone on its cores");
        report.Line();
        await rounds.Measure(report, siloPid, http, warmup, duration, target: 0.97);
        report.Line();
        if (output is not null) await File.WriteAllTextAsync(output, report.Text);
        return 0;
    }
}
