extern alias silo;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Cluster.Client;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Benchmarks;

/// <summary>
/// The floor under the protocol targets (RUN=floor in protocols-split-cores.sh): raw ONNX Runtime, the bare servers
/// (<see cref="BareServer"/>: Kestrel over HTTP/1.1 and HTTP/2, binary and JSON, the JSON read by System.Text.Json and by the
/// silo's own reader, and with the classifier every request captured (<see cref="BareCapture"/>); <see cref="BareSocketServer"/>:
/// a socket and no protocol) and the silo's matching paths (the .NET client, HTTP/1.1 and HTTP/2, JSON, the captured model),
/// each alone on the server cores in turn, driven by the same load generator. Bare against raw is what receiving the request
/// costs any .NET server on this machine; the silo against bare is the serving system's own share.
/// </summary>
internal static class FloorCost
{
    private const int Rounds = 4;

    // A chosen list (TARGET="a,b,c") compares a few parties closely: three times the rounds.
    private const int ChosenRounds = 12;

    public static async Task<int> RunAsync(BenchModel model, string serverCores, int siloPid, TimeSpan settle, TimeSpan warmup, TimeSpan duration, string? output, string? onlyTarget = null)
    {
        // The classifier also has a captured copy (every request, tensors included); the bare server captures into a folder of its own.
        var capturing = model.Configs.ContainsKey("capture");
        var captures = capturing ? Directory.CreateTempSubdirectory("bare-captures").FullName : null;
        using var bare = StartBare(model, serverCores, captures);
        try
        {
            using var http = SplitCores.Http();
            using var http2 = SplitCores.Http2();
            using var bareHttp = SplitCores.Http($"http://127.0.0.1:{BareServer.Http1Port}");
            using var bareHttp2 = SplitCores.Http2($"http://127.0.0.1:{BareServer.Http2Port}");
            using var bareSocket = new BareSocketClient(model);
            await SplitCores.WaitReady(http, model.Served("adaptive"));
            if (capturing) await SplitCores.WaitReady(http, model.Served("capture"));
            await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [SplitCores.GatewayPort], ResponseTimeout = TimeSpan.FromMinutes(2) });
            Party[] parties =
            [
                new("bare socket", bareSocket.Infer, bare.Id),
                new("silo client", Targets.Client(client, model, "adaptive"), siloPid, "bare socket"),
                new("bare http/1.1", Targets.HttpBinary(bareHttp, model, "adaptive"), bare.Id),
                new("silo http/1.1", Targets.HttpBinary(http, model, "adaptive"), siloPid, "bare http/1.1"),
                new("bare http/2", Targets.HttpBinary(bareHttp2, model, "adaptive"), bare.Id),
                new("silo http/2", Targets.HttpBinary(http2, model, "adaptive"), siloPid, "bare http/2"),
                new("bare http json", Targets.Http(bareHttp, model, "adaptive"), bare.Id),
                new("bare http json (silo reader)", Targets.Http(bareHttp, model, "adaptive" + BareJson.SiloReaderSuffix), bare.Id),
                new("silo http json", Targets.Http(http, model, "adaptive"), siloPid, "bare http json (silo reader)"),
                .. capturing
                    ? new Party[]
                    {
                        new("bare http/1.1 disk write", Targets.HttpBinary(bareHttp, model, "adaptive" + BareDiskWrite.Suffix), bare.Id),
                        new("bare http/1.1 capture", Targets.HttpBinary(bareHttp, model, "adaptive" + BareCapture.Suffix), bare.Id),
                        new("silo http/1.1 capture", Targets.HttpBinary(http, model, "capture"), siloPid, "bare http/1.1 capture"),
                    }
                    : [],
            ];
            foreach (var party in parties) await LoadRunner.ClosedLoop("warm-up", "adaptive", Protocols.Concurrency, TimeSpan.Zero, settle, party.Target);
            await JitSettle.WaitAsync(http, [.. parties.Where(p => p.Pid == siloPid).Select(p => p.Target)], Protocols.Concurrency);
            if (onlyTarget is not null && !onlyTarget.Contains(','))
            {
                // One target for the whole duration, to profile its server meanwhile (TARGET="bare http/1.1").
                var party = parties.Single(p => p.Name == onlyTarget);
                var (throughput, cpuMs) = await Measure(onlyTarget, party.Target, party.Pid, warmup, duration);
                Console.WriteLine($"{onlyTarget}: {throughput:F0} req/s, server CPU {cpuMs:F3} ms per request (pid {party.Pid})");
                return 0;
            }
            // A list (TARGET="bare http/2,silo http/2") alternates only those parties with raw ONNX Runtime, e.g. with longer cells.
            if (onlyTarget is not null)
            {
                var chosen = onlyTarget.Split(',', StringSplitOptions.TrimEntries);
                parties = [.. chosen.Select(name => parties.SingleOrDefault(p => p.Name == name) ?? throw new ArgumentException($"No party named '{name}'."))];
            }
            var names = parties.Select(p => p.Name).ToArray();
            var report = new Report();
            report.Line($"### The floor: {model.Name}, raw ONNX Runtime, bare servers and the silo, each alone on cores {serverCores}");
            report.Line();
            report.Line("| round | raw req/s | " + string.Join(" | ", names.Select(n => $"{n} req/s")) + " | raw CPU µs/req | " + string.Join(" | ", names.Select(n => $"{n} CPU µs/req")) + " |");
            report.Line("|---:|---:|" + string.Concat(names.Select(_ => "---:|")) + "---:|" + string.Concat(names.Select(_ => "---:|")));
            var raws = new List<(LoadResult Result, double CpuMs)>();
            var cells = names.Select(_ => new List<(double Throughput, double CpuMs)>()).ToArray();
            // A fresh order each round, seeded as the alternating arms' (AlternatingArms says why a fixed order reads some parties high).
            var shuffle = new Random(AlternatingArms.OrderSeed);
            var order = Enumerable.Range(0, parties.Length).ToArray();
            for (var round = 1; round <= (onlyTarget is null ? Rounds : ChosenRounds); round++)
            {
                raws.Add(await SplitCores.MeasureRawOn(model, serverCores, warmup, duration));
                shuffle.Shuffle(order);
                foreach (var i in order) cells[i].Add(await Measure(names[i], parties[i].Target, parties[i].Pid, warmup, duration));
                report.Line($"| {round} | {Report.F(raws[^1].Result.Throughput, 0)} | " + string.Join(" | ", cells.Select(c => Report.F(c[^1].Throughput, 0))) +
                    $" | {Report.F(raws[^1].CpuMs * 1000, 0)} | " + string.Join(" | ", cells.Select(c => Report.F(c[^1].CpuMs * 1000, 0))) + " |");
            }
            report.Line();
            for (var i = 0; i < names.Length; i++)
            {
                var ratios = cells[i].Zip(raws, (cell, raw) => cell.Throughput / raw.Result.Throughput).ToList();
                report.Line($"- {names[i]} / raw: rounds {string.Join(", ", ratios.Select(r => Report.F(r, 2)))}; median {Report.F(Report.Median(ratios), 2)}×; " +
                    $"CPU per request: median {Report.F(Report.Median(cells[i].Select(c => c.CpuMs * 1000)), 0)} µs (raw {Report.F(Report.Median(raws.Select(r => r.CpuMs * 1000)), 0)} µs)");
            }
            // Each silo path against the bare server that receives the same requests: the serving system's own share.
            for (var i = 0; i < parties.Length; i++)
            {
                var b = Array.IndexOf(names, parties[i].Bare);
                if (b < 0) continue;
                var ratios = cells[i].Zip(cells[b], (served, bareCell) => served.Throughput / bareCell.Throughput).ToList();
                report.Line($"- {names[i]} / {names[b]}: rounds {string.Join(", ", ratios.Select(r => Report.F(r, 2)))}; median {Report.F(Report.Median(ratios), 2)}×");
            }
            report.Line();
            if (output is not null) await File.WriteAllTextAsync(output, report.Text);
            return 0;
        }
        finally
        {
            bare.Kill();
            await bare.WaitForExitAsync();
            if (captures is not null) Directory.Delete(captures, recursive: true);
        }
    }

    /// <summary>One server path the floor run drives: its load, the process whose CPU it costs, and for a silo path the bare server it is held against.</summary>
    private sealed record Party(string Name, Func<int, Task> Target, int Pid, string? Bare = null);

    private static async Task<(double Throughput, double CpuMs)> Measure(string name, Func<int, Task> target, int pid, TimeSpan warmup, TimeSpan duration)
    {
        await LoadRunner.ClosedLoop(name, "adaptive", Protocols.Concurrency, TimeSpan.Zero, warmup, target);
        var calls = new StrongBox<long>();
        var before = ProcessCpu.Of(pid);
        var result = await LoadRunner.ClosedLoop(name, "adaptive", Protocols.Concurrency, TimeSpan.Zero, duration, ProcessCpu.Counted(target, calls));
        // The load runner counts failures rather than stop; a floor measured on failing calls would be no floor.
        if (result.Failed > 0) throw new InvalidOperationException($"{name}: {result.Failed} calls failed.");
        return (result.Throughput, (ProcessCpu.Of(pid) - before).TotalMilliseconds / calls.Value);
    }

    // The bare server runs as the silo does: its own process on the server cores, workstation GC with the silo's young-generation
    // floor, thread-pool workers that do not spin (the silo's runtimeconfig); this benchmark process itself runs server GC.
    private static Process StartBare(BenchModel model, string cores, string? captures)
    {
        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true };
        string[] args = ["-c", cores, Environment.ProcessPath!, "--bare-server", "--model", model.Name, .. captures is null ? Array.Empty<string>() : ["--capture-dir", captures]];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[YoungGenerationCheck.Variable] = YoungGenerationCheck.Floor;
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        var process = Process.Start(start)!;
        string? line;
        while ((line = process.StandardOutput.ReadLine()) != BareServer.ReadyLine)
        {
            if (line is null) throw new InvalidOperationException($"The bare server exited before it was ready (exit code {(process.HasExited ? process.ExitCode : -1)}).");
        }
        return process;
    }
}
