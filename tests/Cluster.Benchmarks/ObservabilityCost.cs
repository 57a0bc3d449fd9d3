using System.Globalization;

namespace Cluster.Benchmarks;

/// <summary>
/// What prediction capture at fraction 1.0 and tracing at ratio 1.0 cost the silo, at the split-core
/// budget of protocols-split-cores.sh (RUN=observability). One silo serves the classifier four times, a model per arm (two arms on one model warmed its session and batch worker more than the others'), as
/// <c>cls-adaptive</c>, as <c>cls-capture</c> (the same model and batching, capturing every request,
/// inputs and outputs), as <c>cls-traced</c> (a plain copy for the tracing arm) and as <c>cls-capturemeta</c> (every request, without its tensors), and exports traces over OTLP at ratio 1.0 to a stand-in collector in this process.
/// Four arms over HTTP binary, alternated in rounds:
/// <list type="bullet">
/// <item>baseline: <c>cls-adaptive</c>, the caller's <c>traceparent</c> says "not sampled", so nothing is recorded;</item>
/// <item>capture: <c>cls-capture</c>, likewise not traced;</item>
/// <item>tracing: <c>cls-traced</c> (a plain copy) without a <c>traceparent</c>, so the silo samples every request (ratio 1.0) and exports its spans;</item>
/// <item>capture without tensors: <c>cls-capturemeta</c>, every request captured with <c>"inputs": false, "outputs": false</c>, not traced.</item>
/// </list>
/// </summary>
internal static class ObservabilityCost
{
    public const int SinkPort = 14317;
    // Many short rounds: this machine's speed drifts by ±25 % over minutes, so arms that alternate quickly see the same machine.
    private const int Rounds = 12;

    public static async Task<int> RunAsync(BenchModel model, int siloPid, TimeSpan settle, TimeSpan warmup, TimeSpan duration, string? output, string? onlyArm = null)
    {
        await using var sink = await OtlpSink.StartAsync(SinkPort);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(SplitCores.HttpUrl), Timeout = TimeSpan.FromMinutes(2) };
        await SplitCores.WaitReady(http, model.Served("adaptive"));
        await SplitCores.WaitReady(http, model.Served("traced"));
        await SplitCores.WaitReady(http, model.Served("capture"));
        await SplitCores.WaitReady(http, model.Served("capturemeta"));
        string[] names = ["baseline", "capture 1.0", "tracing 1.0", "capture 1.0 no tensors"];
        Func<int, Task>[] arms =
        [
            Targets.HttpBinary(http, model, "adaptive", unsampled: true),
            Targets.HttpBinary(http, model, "capture", unsampled: true),
            Targets.HttpBinary(http, model, "traced"),
            Targets.HttpBinary(http, model, "capturemeta", unsampled: true),
        ];
        foreach (var arm in arms) await LoadRunner.ClosedLoop("warm-up", "adaptive", Protocols.Concurrency, TimeSpan.Zero, settle, arm);
        await JitSettle.WaitAsync(http, arms, Protocols.Concurrency);
        if (onlyArm is not null)
        {
            // One arm for the whole duration, to profile the silo meanwhile (TARGET="capture 1.0").
            var single = await SplitCores.MeasureServed(onlyArm, arms[Array.IndexOf(names, onlyArm)], siloPid, http, warmup, duration);
            Console.WriteLine($"{onlyArm}: {single.Result.Throughput:F0} req/s, silo CPU {single.CpuMsPerCall:F3} ms per request");
            return 0;
        }
        var before = await CaptureCounts(http);
        var exportsBefore = sink.Exports;
        var report = new Report();
        report.Line($"### Capture and tracing cost: {model.Name}, HTTP binary, adaptive batching, concurrency {Protocols.Concurrency}, silo alone on its cores");
        report.Line();
        report.Line("| round | " + string.Join(" | ", names.Select(n => $"{n} req/s")) + " | " + string.Join(" | ", names.Select(n => $"{n} CPU ms/req")) + " |");
        report.Line("|---:|" + string.Concat(names.Select(_ => "---:|")) + string.Concat(names.Select(_ => "---:|")));
        var throughput = names.Select(_ => new List<double>()).ToArray();
        var cpu = names.Select(_ => new List<double>()).ToArray();
        var served = new long[names.Length];
        for (var round = 1; round <= Rounds; round++)
        {
            // The order turns each round, so no arm always follows the same one (its leftovers: a capture backlog, a pending export).
            for (var k = 0; k < arms.Length; k++)
            {
                var i = (k + round) % arms.Length;
                var (result, cpuPerCall, _, _) = await SplitCores.MeasureServed(names[i], arms[i], siloPid, http, warmup, duration);
                throughput[i].Add(result.Throughput);
                cpu[i].Add(cpuPerCall);
                served[i] += result.Completed;
            }
            report.Line($"| {round} | " + string.Join(" | ", throughput.Select(t => Report.F(t[^1], 0))) + " | " + string.Join(" | ", cpu.Select(c => Report.F(c[^1], 3))) + " |");
        }
        report.Line();
        for (var i = 1; i < names.Length; i++)
        {
            var ratios = throughput[i].Zip(throughput[0], (arm, baseline) => arm / baseline).ToList();
            var costs = cpu[i].Zip(cpu[0], (arm, baseline) => arm / baseline).ToList();
            var median = Report.Median(ratios);
            report.Line($"- {names[i]} / baseline throughput: rounds {string.Join(", ", ratios.Select(r => Report.F(r, 3)))}; median {Report.F(median, 3)} " +
                $"(target ≥ 0.95: {(median >= 0.95 ? "met" : "missed")}); silo CPU per request, {names[i]} / baseline: median {Report.F(Report.Median(costs), 3)}");
        }
        // Capture drops records rather than slow inference, so a cheap-looking capture arm must also show it kept them.
        var after = await CaptureCounts(http);
        report.Line($"- capture: {after.Written - before.Written} records written, {after.Dropped - before.Dropped} dropped, of {served[1] + served[3]} measured requests (plus warm-ups)");
        report.Line($"- tracing: {sink.Exports - exportsBefore} OTLP exports taken by the stand-in collector, {sink.Bytes / 1024} KiB in all");
        report.Line();
        if (output is not null) await File.WriteAllTextAsync(output, report.Text);
        return 0;
    }

    private static async Task<(double Written, double Dropped)> CaptureCounts(HttpClient http)
    {
        var metrics = await http.GetStringAsync("/metrics");
        return (PrometheusText.Sum(metrics, "cluster_capture_written_total"), PrometheusText.Sum(metrics, "cluster_capture_dropped_total"));
    }
}
