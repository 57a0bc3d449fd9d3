using System.Diagnostics;
using System.Globalization;
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
    private const int Rounds = 3;

    /// <summary>Writes the served model (the classifier with adaptive batching) into <paramref name="repository"/>.</summary>
    public static void WriteRepository(BenchModel model, string repository)
    {
        var folder = Path.Combine(repository, model.Served("adaptive"));
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        File.Copy(model.Path, Path.Combine(folder, "1", "model.onnx"), overwrite: true);
        File.WriteAllText(Path.Combine(folder, "config.json"), model.Configs["adaptive"]);
    }

    /// <summary>Raw ONNX Runtime alone, printed for the parent process to read.</summary>
    public static void PrintRaw(BenchModel model, TimeSpan warmup, TimeSpan duration, int concurrency)
    {
        using var session = new InferenceSession(model.Path);
        var result = LoadRunner.ClosedLoopThreads("raw ORT", "-", concurrency, warmup, duration, Targets.Raw(session, model));
        Console.WriteLine(RawLine + result.Throughput.ToString("F1", CultureInfo.InvariantCulture) + " " + result.Percentile(0.5).ToString("F2", CultureInfo.InvariantCulture) + " " + result.Percentile(0.99).ToString("F2", CultureInfo.InvariantCulture));
    }

    public static async Task<int> RunAsync(BenchModel model, string rawCores, TimeSpan warmup, TimeSpan duration, string? output)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(HttpUrl), Timeout = TimeSpan.FromMinutes(2) };
        var clock = Stopwatch.StartNew();
        while (!await Ready(http, $"/v2/models/{model.Served("adaptive")}/ready"))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("The silo never served the model.");
            await Task.Delay(250);
        }
        await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [GatewayPort], ResponseTimeout = TimeSpan.FromMinutes(2) });
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(GrpcUrl);
        var grpc = new Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var report = new Report();
        report.Line($"### Protocols at an equal core budget: silo on cores {rawCores}, raw ONNX Runtime on the same cores, load generator on cores {CurrentCores()}");
        report.Line();
        // The machine's speed drifts between minutes, so raw and served alternate in rounds and ratios are taken per round.
        Func<int, Task>[] targets = [Targets.HttpBinary(http, model, "adaptive"), Targets.Grpc(grpc, model, "adaptive"), Targets.Client(client, model, "adaptive"), Targets.Http(http, model, "adaptive")];
        string[] names = ["http binary", "grpc", "client", "http json"];
        double[] goals = [0.85, 0.85, 0, 0.6];
        foreach (var target in targets) await LoadRunner.ClosedLoop("warm-up", "adaptive", 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), target);
        var ratios = names.Select(_ => new List<double>()).ToArray();
        report.Line("| round | raw req/s | " + string.Join(" | ", names.Select(n => $"{n} req/s")) + " |");
        report.Line("|---:|---:|" + string.Concat(names.Select(_ => "---:|")));
        for (var round = 1; round <= Rounds; round++)
        {
            var raw = await MeasureRawOn(rawCores, warmup, duration);
            var served = new List<double>();
            for (var i = 0; i < targets.Length; i++)
            {
                var result = await LoadRunner.ClosedLoop(names[i], "adaptive", Protocols.Concurrency, warmup, duration, targets[i]);
                served.Add(result.Throughput);
                ratios[i].Add(result.Throughput / raw.Throughput);
            }
            report.Line($"| {round} | {Report.F(raw.Throughput, 0)} | " + string.Join(" | ", served.Select(t => Report.F(t, 0))) + " |");
        }
        report.Line();
        for (var i = 0; i < names.Length; i++)
        {
            var median = Report.Median(ratios[i]);
            report.Line($"- {names[i]} / raw: rounds {string.Join(", ", ratios[i].Select(r => Report.F(r, 2)))}; median {Report.F(median, 2)}×" +
                (goals[i] > 0 ? $" (target ≥ {goals[i]}×: {(median >= goals[i] ? "met" : "missed")})" : ""));
        }
        report.Line();
        if (output is not null) await File.WriteAllTextAsync(output, report.Text);
        return 0;
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

    private static async Task<LoadResult> MeasureRawOn(string cores, TimeSpan warmup, TimeSpan duration)
    {
        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", cores, Environment.ProcessPath!, "--raw-only", "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(RawLine, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The raw measurement printed no result: {text}{await process.StandardError.ReadToEndAsync()}");
        var figures = line[RawLine.Length..].Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // Only throughput and two percentiles cross the process boundary; the table shows them.
        return new LoadResult("raw ORT (silo's cores)", "-", Protocols.Concurrency, (long)(figures[0] * duration.TotalSeconds), 0, duration.TotalSeconds, [figures[1], figures[2]]);
    }

    // Linux says which cores this process may use in /proc/self/status; the script runs only there (taskset).
    private static string CurrentCores() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?";
}
