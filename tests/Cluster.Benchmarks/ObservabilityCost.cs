extern alias silo;
using System.Globalization;
using silo::Cluster.Silo.Capture;

namespace Cluster.Benchmarks;

/// <summary>
/// What prediction capture at fraction 1.0 and tracing at ratio 1.0 cost the silo, at the split-core
/// budget of protocols-split-cores.sh (RUN=observability). One silo serves the classifier five times, a model per arm (two arms on one model warmed its session and batch worker more than the others'), as
/// <c>cls-adaptive</c>, as <c>cls-capture</c> (the same model and batching, capturing every request,
/// inputs and outputs), as <c>cls-traced</c> (a plain copy for the tracing arm), as <c>cls-capturemeta</c> (every request, without its tensors)
/// and as <c>cls-plain</c> (a plain copy for the control), and exports traces over OTLP at ratio 1.0 to a stand-in collector in this process.
/// Five arms over HTTP binary, alternated in rounds:
/// <list type="bullet">
/// <item>baseline: <c>cls-adaptive</c>, the caller's <c>traceparent</c> says "not sampled", so nothing is recorded;</item>
/// <item>capture: <c>cls-capture</c>, likewise not traced;</item>
/// <item>tracing: <c>cls-traced</c> (a plain copy) without a <c>traceparent</c>, so the silo samples every request (ratio 1.0) and exports its spans;</item>
/// <item>capture without tensors: <c>cls-capturemeta</c>, every request captured with <c>"inputs": false, "outputs": false</c>, not traced;</item>
/// <item>control: <c>cls-plain</c>, the baseline again on a model of its own. Its ratio to the baseline differs from 1 by chance alone
/// (two arms of one run on this machine came out 3 % apart), which is how closely the other arms' ratios can be read.</item>
/// </list>
/// </summary>
internal static class ObservabilityCost
{
    public const int SinkPort = 14317;

    private const string Control = "control (baseline again)";

    public static async Task<int> RunAsync(BenchModel model, int siloPid, TimeSpan settle, TimeSpan warmup, TimeSpan duration, string? output, string? onlyArm = null, int rounds = AlternatingArms.DefaultRounds)
    {
        await using var sink = await OtlpSink.StartAsync(SinkPort);
        using var http = SplitCores.Http();
        await SplitCores.WaitReady(http, model.Served("adaptive"));
        await SplitCores.WaitReady(http, model.Served("traced"));
        await SplitCores.WaitReady(http, model.Served("capture"));
        await SplitCores.WaitReady(http, model.Served("capturemeta"));
        await SplitCores.WaitReady(http, model.Served("plain"));
        string[] names = ["baseline", "capture 1.0", "tracing 1.0", "capture 1.0 no tensors", Control];
        Func<int, Task>[] arms =
        [
            Targets.HttpBinary(http, model, "adaptive", unsampled: true),
            Targets.HttpBinary(http, model, "capture", unsampled: true),
            Targets.HttpBinary(http, model, "traced"),
            Targets.HttpBinary(http, model, "capturemeta", unsampled: true),
            Targets.HttpBinary(http, model, "plain", unsampled: true),
        ];
        if (onlyArm?.Contains(',') == true)
        {
            // A list (TARGET="baseline,capture 1.0") alternates only those arms, the first as the reference, e.g. in many rounds. Short
            // cells are more alike, but they read low a cost that outlasts its cell: capture read 3 % in 1 s cells, 7.5 % in 3 s ones.
            var chosen = onlyArm.Split(',', StringSplitOptions.TrimEntries).Select(name => Array.IndexOf(names, name) is >= 0 and var i ? i : throw new ArgumentException($"No arm named '{name}'.")).ToArray();
            (names, arms, onlyArm) = ([.. chosen.Select(i => names[i])], [.. chosen.Select(i => arms[i])], null);
        }
        var alternating = new AlternatingArms(names, arms, rounds);
        await alternating.Settle(http, settle);
        if (onlyArm is not null)
        {
            await alternating.MeasureOne(onlyArm, siloPid, http, warmup, duration);
            return 0;
        }
        var before = await CaptureCounts(http);
        var writerBefore = ProcessCpu.OfThreads(siloPid, CaptureWriter.ThreadName);
        var exportsBefore = sink.Exports;
        var report = new Report();
        report.Line($"### Capture and tracing cost: {model.Name}, HTTP binary, adaptive batching, concurrency {Protocols.Concurrency}, silo alone on its cores");
        report.Line();
        await alternating.Measure(report, siloPid, http, warmup, duration, target: 0.95, control: Control);
        // Capture drops records rather than slow inference, so a cheap-looking capture arm must also show it kept them.
        var after = await CaptureCounts(http);
        var written = after.Written - before.Written;
        report.Line($"- capture: {written} records written, {after.Dropped - before.Dropped} dropped, of {alternating.Served.Where((_, i) => names[i].StartsWith("capture", StringComparison.Ordinal)).Sum()} measured requests (plus warm-ups)");
        // Capture's own work on its own thread, read apart from the request threads: unlike a throughput ratio, it does not move
        // with the host's speed from one cell to the next.
        if (written > 0)
        {
            var writerMicros = (ProcessCpu.OfThreads(siloPid, CaptureWriter.ThreadName) - writerBefore).TotalMicroseconds / written;
            var baselineMicros = Report.Median(alternating.CpuMsPerRequest[0]) * 1000;
            report.Line($"- the capture writer's thread: {Report.F(writerMicros, 1)} µs of CPU per record written (every capture arm's), " +
                $"{Report.F(100 * writerMicros / baselineMicros, 1)} % of the baseline's silo CPU per request ({Report.F(baselineMicros, 0)} µs, median)");
        }
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
