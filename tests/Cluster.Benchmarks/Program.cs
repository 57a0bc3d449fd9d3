extern alias silo;
using System.Diagnostics;
using Cluster.Benchmarks;
using Cluster.Client;
using Cluster.Modeling;
using silo::Cluster.Silo.Hosting;
using Cluster.Tests.Support;
using Microsoft.ML.OnnxRuntime;

// Side-by-side throughput and latency: raw ONNX Runtime in-process vs the cluster through the .NET client
// and HTTP JSON, batching off / fixed / adaptive, at concurrency 1, 8 and 64, on a tiny MLP and the
// PaddleOCR classifier. Usage: dotnet run -c Release --project tests/Cluster.Benchmarks [-- --seconds 3 --out file.md]
// (--stats-cost: only the statistics on/off comparison; --protocols: only the protocol comparison;
// --step-load: only the autoscaling step load; --paging: only the memory-budget paging run; --pipeline-cost: only a
// two-step pipeline against the client calling both models; --json-parse: only the gateway's JSON request parsing, no silo; --batch-curve: ONNX Runtime's rows/s by
// batch size on the cores taskset gives, no silo; the split-core protocol run and the capture/tracing cost run
// (RUN=observability, RUN=statistics) are protocols-split-cores.sh).
if (args.Contains("--gpu-check")) return await GpuCheck.RunAsync(args);

var seconds = ArgValue("--seconds", 3.0);
var output = ArgText("--out");
var duration = TimeSpan.FromSeconds(seconds);
var warmup = TimeSpan.FromSeconds(ArgValue("--warmup", Math.Min(1.0, seconds / 3)));
int[] concurrencies = [1, 8, 64];
string[] modes = ["off", "fixed", "adaptive"];

var repository = Path.Combine(Path.GetTempPath(), "cluster-bench", Guid.NewGuid().ToString("N"));
var tiny = new BenchModel("tiny", Write("tiny.onnx", DemoMlp.Build()), "x", [DemoMlp.Inputs], new()
{
    ["off"] = """{"max_batch_size": 64}""",
    ["fixed"] = """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 200}}""",
    ["adaptive"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 5}}""",
    ["slowfixed"] = """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 20000, "preferred_batch_sizes": [64]}}""",
    ["nostats"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 5}, "statistics": false}""",
}, seed: 1);
var cls = new BenchModel("cls", await PaddleOcrClassifier.GetPathAsync(), "x", [3, 48, 192], new()
{
    ["off"] = """{"max_batch_size": 64}""",
    ["fixed"] = """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 2000}}""",
    ["adaptive"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 100}}""",
    ["bigfixed"] = """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 50000, "preferred_batch_sizes": [64]}}""",
    ["nostats"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 100}, "statistics": false}""",
    ["traced"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 100}}""",
    ["plain"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 100}}""",
    ["capture"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 100}, "capture": {"fraction": 1.0, "inputs": true, "outputs": true}}""",
    ["capturemeta"] = """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 100}, "capture": {"fraction": 1.0, "inputs": false, "outputs": false}}""",
}, seed: 2);
// Split-core protocol runs (protocols-split-cores.sh): the model folder, raw ONNX Runtime alone, or the load generator alone (--model tiny: the MLP).
var splitModel = ArgText("--model") == "tiny" ? tiny : cls;
if (ArgText("--write-repository") is { } modelFolder)
{
    if (args.Contains("--observability")) SplitCores.WriteRepository(cls, modelFolder, "adaptive", "traced", "capture", "capturemeta", "plain");
    else if (args.Contains("--floor")) SplitCores.WriteRepository(splitModel, modelFolder, splitModel.Configs.ContainsKey("capture") ? ["adaptive", "capture"] : []);
    else SplitCores.WriteRepository(splitModel, modelFolder, args.Contains("--statistics") ? ["adaptive", "nostats"] : []);
    return 0;
}
if (args.Contains("--bare-server"))
{
    await BareServer.RunAsync(splitModel, ArgText("--capture-dir"));
    return 0;
}
if (args.Contains("--raw-only"))
{
    SplitCores.PrintRaw(splitModel, warmup, duration, Protocols.Concurrency);
    return 0;
}
if (args.Contains("--batch-curve"))
{
    // Under taskset: what batching wins for ONNX Runtime on the cores given, one pool thread per core.
    using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
    // --no-spinning: as the silo runs by default (Inference:AllowSpinning false).
    if (args.Contains("--no-spinning")) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
    // Each size twice, up then down, so a drift of the machine (or the process still settling) shows as a mismatch.
    int[] sizes = [1, 2, 4, 8, 16, 24, 32, 48, 64];
    int[] both = [.. sizes, .. sizes.Reverse()];
    var rates = BatchCurve.Measure(cls, duration, both, options).ToArray();
    Console.WriteLine($"cls on {Environment.ProcessorCount} core(s), rows/s by batch size (up / down): " + string.Join(", ", sizes.Select((b, i) => $"{b}: {rates[i]:F0} / {rates[both.Length - 1 - i]:F0}")));
    return 0;
}
if (ArgText("--external") is { } rawCores)
{
    var (siloPid, settle) = ((int)ArgValue("--silo-pid", 0), TimeSpan.FromSeconds(ArgValue("--settle", 1)));
    if (args.Contains("--observability")) return await ObservabilityCost.RunAsync(cls, siloPid, settle, warmup, duration, output, ArgText("--target"), (int)ArgValue("--rounds", AlternatingArms.DefaultRounds));
    if (args.Contains("--floor")) return await FloorCost.RunAsync(splitModel, rawCores, siloPid, settle, warmup, duration, output, ArgText("--target"));
    if (args.Contains("--statistics")) return await StatisticsSplitCost.RunAsync(splitModel, siloPid, settle, warmup, duration, output, ArgText("--target"));
    return await SplitCores.RunAsync(splitModel, rawCores, siloPid, settle, warmup, duration, output, ArgText("--target"));
}

if (args.Contains("--json-parse"))
{
    var parseReport = new Report();
    JsonParsing.Measure(parseReport, cls);
    if (output is not null) await File.WriteAllTextAsync(output, parseReport.Text);
    return 0;
}

var stepLoad = args.Contains("--step-load");
var pipelineCost = args.Contains("--pipeline-cost");
if (pipelineCost) PipelineCost.WriteRepository(repository);
var paging = args.Contains("--paging");
if (stepLoad)
{
    foreach (var (mode, config) in StepLoad.Configs) cls.Configs[mode] = config;
}
if (paging)
{
    var heavy = Cluster.Tests.Support.TestModels.Heavy();
    for (var i = 0; i < Paging.Models; i++)
    {
        Directory.CreateDirectory(Path.Combine(repository, Paging.Name(i), "1"));
        File.WriteAllBytes(Path.Combine(repository, Paging.Name(i), "1", "model.onnx"), heavy);
    }
}
foreach (var model in paging || pipelineCost ? [] : new[] { tiny, cls })
{
    foreach (var (mode, config) in model.Configs)
    {
        var folder = Path.Combine(repository, model.Served(mode));
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        File.Copy(model.Path, Path.Combine(folder, "1", "model.onnx"));
        File.WriteAllText(Path.Combine(folder, "config.json"), config);
    }
}

var app = SiloApplication.Build([
    "--Gateway:Urls=http://127.0.0.1:18080", "--Gateway:GrpcUrls=http://127.0.0.1:18081", "--Silo:SiloPort=21111", "--Silo:GatewayPort=40000",
    $"--Models:Repository={repository}", "--Models:WriteDemoModel=false", "--Inference:Device=cpu",
    "--Logging:LogLevel:Default=Warning",
    .. stepLoad ? new[] { "--Inference:IntraOpThreads=1" } : [],
    .. paging ? new[] { $"--Inference:MemoryBudgetBytes={Paging.BudgetBytes}", "--Inference:MemoryWaitSeconds=25" } : []]);
await app.StartAsync();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri("http://127.0.0.1:18080"), Timeout = TimeSpan.FromMinutes(2) };
while ((await http.GetAsync("/v2/health/ready")).StatusCode != System.Net.HttpStatusCode.OK) await Task.Delay(100);
await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [40000], ResponseTimeout = TimeSpan.FromMinutes(2) });

var only = ArgText("--only");
if (only is not null)
{
    // One cell for a long time, e.g. --only tiny:client:fixed:64, to profile it (dotnet-trace, dotnet-counters).
    var parts = only.Split(':');
    var model = parts[0] == "tiny" ? tiny : cls;
    using var session = new InferenceSession(model.Path);
    Console.WriteLine($"pid {Environment.ProcessId}; batch curve rows/s: " + string.Join(", ", BatchCurve.Measure(model, TimeSpan.FromSeconds(1)).Select(r => r.ToString("F0"))));
    var single = parts[1] == "raw"
        ? LoadRunner.ClosedLoopThreads("raw", "-", int.Parse(parts[3]), warmup, duration, Targets.Raw(session, model))
        : await LoadRunner.ClosedLoop(parts[1], parts[2], int.Parse(parts[3]), warmup, duration,
            parts[1] switch
            {
                "client" => Targets.Client(client, model, parts[2]),
                "httpbin" => Targets.HttpBinary(http, model, parts[2]),
                _ => Targets.Http(http, model, parts[2]),
            });
    Console.WriteLine($"{only}: {single.Throughput:F0} req/s, p50 {single.Percentile(0.5):F2} ms, p99 {single.Percentile(0.99):F2} ms, failed {single.Failed}");
    await app.StopAsync();
    return 0;
}

using var grpcChannel = Grpc.Net.Client.GrpcChannel.ForAddress("http://127.0.0.1:18081");
var grpc = new Cluster.Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient(grpcChannel);

if (args.Contains("--protocols"))
{
    var protocolReport = new Report();
    await Protocols.Measure(protocolReport, cls, client, http, grpc, warmup, duration);
    Console.Write(protocolReport.Text);
    if (output is not null) await File.WriteAllTextAsync(output, protocolReport.Text);
    await app.StopAsync();
    return 0;
}

if (stepLoad || paging)
{
    var scalingReport = new Report();
    if (stepLoad) await StepLoad.Measure(scalingReport, cls, client);
    if (paging) await Paging.Measure(scalingReport, client, http);
    if (output is not null) await File.WriteAllTextAsync(output, scalingReport.Text);
    await app.StopAsync();
    return 0;
}

if (pipelineCost)
{
    var pipelineReport = new Report();
    await PipelineCost.Measure(pipelineReport, client, warmup, duration);
    Console.Write(pipelineReport.Text);
    if (output is not null) await File.WriteAllTextAsync(output, pipelineReport.Text);
    await app.StopAsync();
    return 0;
}
if (args.Contains("--stats-cost"))
{
    var costReport = new Report();
    await StatisticsCost.Measure(costReport, client, [tiny, cls], warmup, duration);
    Console.Write(costReport.Text);
    if (output is not null) await File.WriteAllTextAsync(output, costReport.Text);
    await app.StopAsync();
    return 0;
}

var report = new Report();
report.Line("### ONNX Runtime alone: rows/s by batch size (one caller, sequential runs)");
report.Line();
report.Line("| model | " + string.Join(" | ", BatchCurve.Sizes.Select(b => $"batch {b}")) + " |");
report.Line("|---|" + string.Concat(BatchCurve.Sizes.Select(_ => "---:|")));
foreach (var model in new[] { tiny, cls })
{
    report.Line($"| {model.Name} | " + string.Join(" | ", BatchCurve.Measure(model, TimeSpan.FromSeconds(Math.Min(2, seconds))).Select(r => Report.F(r, 0))) + " |");
}
report.Line();
report.Line($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {seconds:F0} s per cell after {warmup.TotalSeconds:F0} s warm-up; every request carries one row.");
report.Line();
// JIT warm-up of every served path first: tiered compilation needs seconds of traffic before the
// code the cells measure is final, and the first cells would otherwise pay for it.
foreach (var model in new[] { tiny, cls })
{
    foreach (var mode in model.Configs.Keys)
    {
        await LoadRunner.ClosedLoop("client", mode, 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), Targets.Client(client, model, mode));
        await LoadRunner.ClosedLoop("http", mode, 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), Targets.Http(http, model, mode));
    }
}

var all = new Dictionary<(string Model, string Target, string Mode, int Concurrency), LoadResult>();
foreach (var model in new[] { tiny, cls })
{
    using var session = new InferenceSession(model.Path);
    var results = new List<LoadResult>();
    foreach (var concurrency in concurrencies)
    {
        results.Add(LoadRunner.ClosedLoopThreads("raw ORT", "-", concurrency, warmup, duration, Targets.Raw(session, model)));
        foreach (var mode in modes)
        {
            results.Add(await LoadRunner.ClosedLoop("client", mode, concurrency, warmup, duration, Targets.Client(client, model, mode)));
            results.Add(await LoadRunner.ClosedLoop("http", mode, concurrency, warmup, duration, Targets.Http(http, model, mode)));
            results.Add(await LoadRunner.ClosedLoop("http binary", mode, concurrency, warmup, duration, Targets.HttpBinary(http, model, mode)));
        }
    }
    foreach (var r in results) all[(model.Name, r.Target, r.Mode, r.Concurrency)] = r;
    report.Table(model.Name == "tiny" ? "Tiny MLP (4→8→3, per-call overhead dominates)" : "PaddleOCR text-direction classifier (compute-bound)", results);
    report.Line("| concurrency | client/raw (off, fixed, adaptive) | http/raw (off, fixed, adaptive) | batched/unbatched client (fixed, adaptive) | batched/unbatched http (fixed, adaptive) |");
    report.Line("|---:|---|---|---|---|");
    foreach (var c in concurrencies)
    {
        double T(string target, string mode) => all[(model.Name, target, mode, c)].Throughput;
        var raw = T("raw ORT", "-");
        report.Line($"| {c} | {string.Join(" / ", modes.Select(m => Report.F(T("client", m) / raw, 2)))} | {string.Join(" / ", modes.Select(m => Report.F(T("http", m) / raw, 2)))} " +
            $"| {Report.F(T("client", "fixed") / T("client", "off"), 2)} / {Report.F(T("client", "adaptive") / T("client", "off"), 2)} " +
            $"| {Report.F(T("http", "fixed") / T("http", "off"), 2)} / {Report.F(T("http", "adaptive") / T("http", "off"), 2)} |");
    }
    report.Line();
}

// Open loop at a steady rate: long fixed delays hold requests for batches that fill slowly,
// while adaptive mode (same model, a latency target) sends at once and batches only under queueing.
report.Line("### Open loop: fixed delays vs an adaptive latency target");
report.Line();
var openLoop = new List<LoadResult>();
var clsRate = all[("cls", "client", "adaptive", 64)].Throughput * 0.6;
foreach (var (model, fixedMode, rate, target) in new[] { (tiny, "slowfixed", 500.0, 5.0), (cls, "bigfixed", clsRate, 100.0) })
{
    foreach (var mode in new[] { fixedMode, "adaptive" })
    {
        var result = await LoadRunner.OpenLoop("client", mode, rate, duration, Targets.Client(client, model, mode));
        openLoop.Add(result);
        report.Line($"- {model.Name} at {rate:F0} req/s, {mode} ({model.Configs[mode]}): p50 {Report.F(result.Percentile(0.5), 2)} ms, p95 {Report.F(result.Percentile(0.95), 2)} ms, p99 {Report.F(result.Percentile(0.99), 2)} ms, {result.Failed} failed; target p95 {target} ms: {(result.Percentile(0.95) <= target ? "met" : "missed")}");
    }
}
report.Line();
await StatisticsCost.Measure(report, client, [tiny, cls], warmup, duration);
await Protocols.Measure(report, cls, client, http, grpc, warmup, duration);

report.Line("### Targets");
report.Line();
double Best(string model, string target, int c) => Math.Max(all[(model, target, "fixed", c)].Throughput, all[(model, target, "adaptive", c)].Throughput);
var tinyGain = Best("tiny", "client", 64) / all[("tiny", "client", "off", 64)].Throughput;
report.Line($"- tiny, concurrency 64, batched/unbatched (client): {Report.F(tinyGain, 2)}× (target ≥ 5×)");
var clsRatio = all[("cls", "client", "adaptive", 64)].Throughput / all[("cls", "raw ORT", "-", 64)].Throughput;
report.Line($"- PaddleOCR, concurrency 64, client adaptive / raw: {Report.F(clsRatio, 2)}× (target ≥ 0.9×)");
foreach (var model in new[] { "tiny", "cls" })
{
    var added = all[(model, "client", "adaptive", 1)].Percentile(0.5) - all[(model, "client", "off", 1)].Percentile(0.5);
    report.Line($"- {model}, concurrency 1, adaptive p50 − unbatched p50 (client): {Report.F(added, 3)} ms (target ≤ 0.2 ms)");
}
if (output is not null) await File.WriteAllTextAsync(output, report.Text);
await app.StopAsync();
Directory.Delete(repository, recursive: true);
return 0;

string Write(string name, byte[] bytes)
{
    var dir = Path.Combine(Path.GetTempPath(), "cluster-bench-models");
    Directory.CreateDirectory(dir);
    var path = Path.Combine(dir, name);
    File.WriteAllBytes(path, bytes);
    return path;
}

double ArgValue(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
