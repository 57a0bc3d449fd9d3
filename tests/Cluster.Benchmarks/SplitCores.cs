using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Cluster.Client;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>
/// The protocol comparison with the silo and the load generator in separate processes on separate
/// cores (see protocols-split-cores.sh), and raw ONNX Runtime measured in a child process pinned to
/// the silo's cores: served against raw at the same core budget, the generator's work kept apart.
/// </summary>
internal static class SplitCores
{
    public const string HttpUrl = "http://127.0.0.1:18080";
    public const string GrpcUrl = "http://127.0.0.1:18081";
    public const int GatewayPort = 40000;
    private const string RawLine = "raw-throughput ";
    private const int Rounds = 4;

    /// <summary>An HTTP client for the silo's gateway (or another server at <paramref name="url"/>) with room for every caller of a load run.</summary>
    public static HttpClient Http(string url = HttpUrl) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// An HTTP/2 client (cleartext, prior knowledge) for the REST API on the gRPC listener, which speaks HTTP/2 alone: the same
    /// requests as <see cref="Http"/>, many to a connection instead of one (<paramref name="url"/>: another HTTP/2 server).
    /// </summary>
    public static HttpClient Http2(string url = GrpcUrl) =>
        new(new SocketsHttpHandler()) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2), DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

    /// <summary>Writes the served model (the classifier with adaptive batching, or the given <paramref name="modes"/>) into <paramref name="repository"/>.</summary>
    public static void WriteRepository(BenchModel model, string repository, params string[] modes)
    {
        foreach (var mode in modes.Length == 0 ? ["adaptive"] : modes)
        {
            var folder = Path.Combine(repository, model.Served(mode));
            Directory.CreateDirectory(Path.Combine(folder, "1"));
            File.Copy(model.Path, Path.Combine(folder, "1", "model.onnx"), overwrite: true);
            File.WriteAllText(Path.Combine(folder, "config.json"), model.Configs[mode]);
        }
    }

    /// <summary>Raw ONNX Runtime alone, printed for the parent process to read.</summary>
    public static void PrintRaw(BenchModel model, TimeSpan warmup, TimeSpan duration, int concurrency)
    {
        // Left to itself ONNX Runtime sizes its pool by the machine's cores and pins a thread to each,
        // escaping the cores this process was given; one thread per given core keeps the budget equal.
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(model.Path, options);
        var raw = Targets.Raw(session, model);
        long calls = 0;
        var cpuBefore = ProcessCpu.Of(Environment.ProcessId);
        var result = LoadRunner.ClosedLoopThreads("raw ORT", "-", concurrency, warmup, duration, i =>
        {
            raw(i);
            Interlocked.Increment(ref calls);
        });
        var cpuPerCall = (ProcessCpu.Of(Environment.ProcessId) - cpuBefore).TotalMilliseconds / calls;
        Console.WriteLine(RawLine + string.Join(' ', new[] { result.Throughput, result.Percentile(0.5), result.Percentile(0.99), cpuPerCall }.Select(f => f.ToString("F3", CultureInfo.InvariantCulture))));
    }

    public static async Task<int> RunAsync(BenchModel model, string rawCores, int siloPid, TimeSpan settle, TimeSpan warmup, TimeSpan duration, string? output, string? onlyTarget = null)
    {
        using var http = Http();
        await WaitReady(http, model.Served("adaptive"));
        await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [GatewayPort], ResponseTimeout = TimeSpan.FromMinutes(2) });
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(GrpcUrl);
        var grpc = new Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var report = new Report();
        report.Line($"### Protocols at an equal core budget: silo on cores {rawCores}, raw ONNX Runtime on the same cores, load generator on cores {CurrentCores()}");
        report.Line();
        // The machine's speed drifts between minutes, so raw and served alternate in rounds and ratios are taken per round.
        Func<int, Task>[] targets = [Targets.HttpBinary(http, model, "adaptive"), Targets.Grpc(grpc, model, "adaptive"), Targets.Client(client, model, "adaptive"), Targets.Http(http, model, "adaptive")];
        string[] names = ["http binary", "grpc", "client", "http json"];
        // A fresh silo keeps compiling (tiered JIT) for a minute or more of load on one core; settle every path first.
        foreach (var target in targets) await LoadRunner.ClosedLoop("warm-up", "adaptive", Protocols.Concurrency, TimeSpan.Zero, settle, target);
        await JitSettle.WaitAsync(http, targets, Protocols.Concurrency);
        if (onlyTarget is not null)
        {
            // One protocol for the whole duration and nothing else, to profile the silo meanwhile.
            // "http json doubles": the JSON bodies as Python writes a float32 array's tolist(), nested, 17 digits a number.
            // "http live" and "grpc live": the liveness probe, the protocol stack's floor with no inference behind it; "http2 ...": the
            // REST requests over HTTP/2 to the gRPC listener.
            using var http2 = Http2();
            var chosen = onlyTarget switch
            {
                "http json doubles" => Targets.Http(http, model, "adaptive", model.WidenedBodies),
                "http live" => Targets.HttpLive(http),
                "http2 binary" => Targets.HttpBinary(http2, model, "adaptive"),
                "http2 live" => Targets.HttpLive(http2),
                "grpc live" => Targets.GrpcLive(grpc),
                _ => targets[Array.IndexOf(names, onlyTarget)],
            };
            var single = await MeasureServed(onlyTarget, chosen, siloPid, http, warmup, duration);
            Console.WriteLine($"{onlyTarget}: {single.Result.Throughput:F0} req/s, silo CPU {single.CpuMsPerCall:F3} ms, {single.KbPerCall:F1} KB allocated and {single.Gen2PerThousand:F2} gen-2 collections per request (per 1000)");
            return 0;
        }
        var cells = names.Select(_ => new List<ServedCell>()).ToArray();
        var raws = new List<(LoadResult Result, double CpuMs)>();
        report.Line("| round | raw req/s | " + string.Join(" | ", names.Select(n => $"{n} req/s")) + " | raw CPU µs/req | " + string.Join(" | ", names.Select(n => $"{n} CPU µs/req")) + " |");
        report.Line("|---:|---:|" + string.Concat(names.Select(_ => "---:|")) + "---:|" + string.Concat(names.Select(_ => "---:|")));
        for (var round = 1; round <= Rounds; round++)
        {
            raws.Add(await MeasureRawOn(model, rawCores, warmup, duration));
            for (var i = 0; i < targets.Length; i++) cells[i].Add(await MeasureServed(names[i], targets[i], siloPid, http, warmup, duration));
            report.Line($"| {round} | {Report.F(raws[^1].Result.Throughput, 0)} | " + string.Join(" | ", cells.Select(c => Report.F(c[^1].Result.Throughput, 0))) +
                $" | {Report.F(raws[^1].CpuMs * 1000, 0)} | " + string.Join(" | ", cells.Select(c => Report.F(c[^1].CpuMsPerCall * 1000, 0))) + " |");
        }
        report.Line();
        report.Line("Allocated by the silo per request (KiB), and its gen-2 collections per 1,000 requests, each round:");
        report.Line();
        report.Line("| protocol | " + string.Join(" | ", Enumerable.Range(1, Rounds).Select(r => $"round {r} KiB/req")) + " | " + string.Join(" | ", Enumerable.Range(1, Rounds).Select(r => $"round {r} gen-2/1k")) + " |");
        report.Line("|---|" + string.Concat(Enumerable.Range(0, 2 * Rounds).Select(_ => "---:|")));
        for (var i = 0; i < names.Length; i++)
        {
            report.Line($"| {names[i]} | " + string.Join(" | ", cells[i].Select(c => Report.F(c.KbPerCall, 1))) + " | " + string.Join(" | ", cells[i].Select(c => Report.F(c.Gen2PerThousand, 2))) + " |");
        }
        report.Line();
        for (var i = 0; i < names.Length; i++)
        {
            var ratios = cells[i].Zip(raws, (cell, raw) => cell.Result.Throughput / raw.Result.Throughput).ToList();
            var costs = cells[i].Zip(raws, (cell, raw) => raw.CpuMs / cell.CpuMsPerCall).ToList();
            var median = Report.Median(ratios);
            var cpuMicros = Report.Median([.. cells[i].Select(c => c.CpuMsPerCall * 1000)]);
            var goal = Goal(model, names[i]);
            var verdict = goal switch
            {
                { Ratio: > 0 } => $" (target ≥ {goal.Ratio}×: {(median >= goal.Ratio ? "met" : "missed")})",
                { CpuMicros: > 0 } => $" (target ≤ {goal.CpuMicros} µs of silo CPU: {(cpuMicros <= goal.CpuMicros ? "met" : "missed")})",
                _ => "",
            };
            report.Line($"- {names[i]} / raw: rounds {string.Join(", ", ratios.Select(r => Report.F(r, 2)))}; median {Report.F(median, 2)}×; " +
                $"raw CPU per request / silo CPU per request: median {Report.F(Report.Median(costs), 2)}×; silo CPU per request: median {Report.F(cpuMicros, 0)} µs{verdict}");
        }
        report.Line();
        if (output is not null) await File.WriteAllTextAsync(output, report.Text);
        return 0;
    }

    /// <summary>
    /// Issue 18's targets: the classifier's served/raw throughput by protocol, the tiny MLP's silo CPU per request
    /// (its ONNX Runtime work is a few microseconds, so what is left is the serving path's fixed cost).
    /// </summary>
    private static (double Ratio, double CpuMicros) Goal(BenchModel model, string protocol) => (model.Name, protocol) switch
    {
        ("tiny", "client") => (0, 30),
        ("tiny", "http binary" or "http json") => (0, 50),
        ("tiny", _) => (0, 0),
        (_, "http binary" or "grpc") => (0.85, 0),
        (_, "client") => (0.9, 0),
        (_, "http json") => (0.6, 0),
        _ => (0, 0),
    };

    /// <summary>
    /// One served cell after its warm-up: throughput, and per answered call over the measured time alone the silo's CPU
    /// time, the bytes it allocated and its gen-2 collections (per thousand calls).
    /// </summary>
    internal static async Task<ServedCell> MeasureServed(string name, Func<int, Task> target, int siloPid, HttpClient silo, TimeSpan warmup, TimeSpan duration)
    {
        await LoadRunner.ClosedLoop(name, "adaptive", Protocols.Concurrency, TimeSpan.Zero, warmup, target);
        var calls = new StrongBox<long>();
        var runtimeBefore = await SiloRuntime.ReadAsync(silo);
        var before = ProcessCpu.Of(siloPid);
        var result = await LoadRunner.ClosedLoop(name, "adaptive", Protocols.Concurrency, TimeSpan.Zero, duration, ProcessCpu.Counted(target, calls));
        var cpu = ProcessCpu.Of(siloPid) - before;
        var runtime = await SiloRuntime.ReadAsync(silo) - runtimeBefore;
        return new ServedCell(result, cpu.TotalMilliseconds / calls.Value, runtime.AllocatedBytes / 1024 / calls.Value, runtime.Gen2Collections * 1000 / calls.Value);
    }

    /// <summary>Waits (up to two minutes) until the silo says <paramref name="served"/> is ready.</summary>
    internal static async Task WaitReady(HttpClient http, string served)
    {
        var clock = Stopwatch.StartNew();
        while (!await Ready(http, $"/v2/models/{served}/ready"))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The silo never served {served}.");
            await Task.Delay(250);
        }
    }

    private static async Task<bool> Ready(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    internal static async Task<(LoadResult Result, double CpuMs)> MeasureRawOn(BenchModel model, string cores, TimeSpan warmup, TimeSpan duration)
    {
        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", cores, Environment.ProcessPath!, "--raw-only", "--model", model.Name, "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(RawLine, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The raw measurement printed no result (exit code {process.ExitCode}): {text}{await process.StandardError.ReadToEndAsync()}");
        var figures = line[RawLine.Length..].Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // Only throughput, two percentiles and CPU per call cross the process boundary; the table shows them.
        return (new LoadResult("raw ORT (silo's cores)", "-", Protocols.Concurrency, (long)(figures[0] * duration.TotalSeconds), 0, duration.TotalSeconds, [figures[1], figures[2]]), figures[3]);
    }

    // Linux says which cores this process may use in /proc/self/status; the script runs only there (taskset).
    private static string CurrentCores() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?";
}
