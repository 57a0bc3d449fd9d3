using Cluster.Client;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>
/// The same model and load through every protocol, side by side with ONNX Runtime in-process:
/// the PaddleOCR classifier (adaptive batching) at concurrency 32.
/// </summary>
internal static class Protocols
{
    public const int Concurrency = 32;

    public static async Task Measure(Report report, BenchModel model, InferenceClient client, HttpClient http,
        Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient grpc, TimeSpan warmup, TimeSpan duration, LoadResult? rawElsewhere = null)
    {
        using var session = new InferenceSession(model.Path);
        // One uncounted pass of each, for the JIT.
        await LoadRunner.ClosedLoop("grpc", "adaptive", 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), Targets.Grpc(grpc, model, "adaptive"));
        await LoadRunner.ClosedLoop("http binary", "adaptive", 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), Targets.HttpBinary(http, model, "adaptive"));
        var results = new List<LoadResult>
        {
            rawElsewhere ?? LoadRunner.ClosedLoopThreads("raw ORT", "-", Concurrency, warmup, duration, Targets.Raw(session, model)),
            await LoadRunner.ClosedLoop("http json", "adaptive", Concurrency, warmup, duration, Targets.Http(http, model, "adaptive")),
            await LoadRunner.ClosedLoop("http binary", "adaptive", Concurrency, warmup, duration, Targets.HttpBinary(http, model, "adaptive")),
            await LoadRunner.ClosedLoop("grpc", "adaptive", Concurrency, warmup, duration, Targets.Grpc(grpc, model, "adaptive")),
            await LoadRunner.ClosedLoop("client", "adaptive", Concurrency, warmup, duration, Targets.Client(client, model, "adaptive")),
        };
        report.Table($"Protocols: {model.Name}, adaptive, concurrency {Concurrency}", results);
        var raw = results[0].Throughput;
        foreach (var (target, goal) in new[] { ("http binary", 0.85), ("grpc", 0.85), ("http json", 0.6), ("client", 0.0) })
        {
            var ratio = results.Single(r => r.Target == target).Throughput / raw;
            report.Line($"- {target} / raw: {Report.F(ratio, 2)}×" + (goal > 0 ? $" (target ≥ {goal}×: {(ratio >= goal ? "met" : "missed")})" : ""));
        }
        report.Line();
    }
}
