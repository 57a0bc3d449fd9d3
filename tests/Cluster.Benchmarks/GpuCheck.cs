extern alias silo;
using System.Diagnostics;
using System.Text.Json;
using Cluster.Client;
using Cluster.Onnx;
using silo::Cluster.Silo.Hosting;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>
/// The GPU machine check (tests/gpu/check.sh): CUDA libraries present, a silo with
/// Inference:Device=cuda serving the PaddleOCR classifier on the CUDA provider, outputs equal to
/// the CPU provider's within 1e-3 relative error, and GPU vs CPU throughput at batch 1, 8, 64.
/// </summary>
internal static class GpuCheck
{
    private static readonly string[] RequiredLibraries = ["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcufft.so.12", "libcudnn.so.9"];

    public static async Task<int> RunAsync()
    {
        var missing = await MissingLibraries();
        if (missing.Count > 0)
        {
            Console.WriteLine($"FAIL: ONNX Runtime GPU 1.31.0 needs CUDA 13 and cuDNN 9; not found by the loader: {string.Join(", ", missing)}");
        }
        var model = await PaddleOcrClassifier.GetPathAsync();
        var factory = new OnnxSessionFactory(new ExecutionProviderSelector(Options.Create(new InferenceOptions { Device = "cuda" }), NullLogger<ExecutionProviderSelector>.Instance));
        OnnxModelSession gpu;
        try
        {
            gpu = factory.Load(model, "cuda");
        }
        catch (Exception ex)
        {
            Console.WriteLine($"FAIL: the CUDA execution provider does not load: {ex.Message}");
            return 1;
        }
        using (gpu)
        {
            Console.WriteLine($"OK: session on {gpu.ExecutionProvider}");
            var failures = 0;
            failures += await CheckServedOnCuda(model);
            failures += CompareWithCpu(model, gpu);
            PrintThroughput(model);
            return failures == 0 ? 0 : 1;
        }
    }

    private static async Task<int> CheckServedOnCuda(string model)
    {
        var repository = Path.Combine(Path.GetTempPath(), "cluster-gpu-check", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(repository, "cls", "1"));
        File.Copy(model, Path.Combine(repository, "cls", "1", "model.onnx"));
        File.WriteAllText(Path.Combine(repository, "cls", "config.json"), """{"max_batch_size": 64, "dynamic_batching": {"latency_target_ms": 50}}""");
        var app = SiloApplication.Build([
            "--Gateway:Urls=http://127.0.0.1:18090", "--Silo:SiloPort=21190", "--Silo:GatewayPort=40090",
            $"--Models:Repository={repository}", "--Models:WriteDemoModel=false", "--Inference:Device=cuda", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:18090") };
            while ((await http.GetAsync("/v2/health/ready")).StatusCode != System.Net.HttpStatusCode.OK) await Task.Delay(200);
            var metadata = JsonDocument.Parse(await http.GetStringAsync("/v2/models/cls")).RootElement;
            var parameters = metadata.GetProperty("parameters");
            var provider = parameters.TryGetProperty("execution_provider", out var p) ? p.GetString() : parameters.GetProperty("reason").GetString();
            if (provider != ExecutionProviderSelector.CudaProvider)
            {
                Console.WriteLine($"FAIL: the silo serves cls on {provider}");
                return 1;
            }
            await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [40090] });
            var x = PaddleOcrClassifier.SampleInput(64, seed: 5);
            var clock = Stopwatch.StartNew();
            var calls = Enumerable.Range(0, 64).Select(i => client.InferAsync("cls",
                [TensorData.From<float>("x", x.AsSpan(i * 3 * 48 * 192, 3 * 48 * 192), 1, 3, 48, 192)])).ToArray();
            await Task.WhenAll(calls);
            Console.WriteLine($"OK: silo with Inference:Device=cuda serves cls on {provider}; 64 concurrent requests in {clock.Elapsed.TotalMilliseconds:F0} ms");
            return 0;
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(repository, recursive: true);
        }
    }

    private static int CompareWithCpu(string model, OnnxModelSession gpu)
    {
        using var cpu = new InferenceSession(model);
        var x = PaddleOcrClassifier.SampleInput(8, seed: 3);
        var input = TensorData.From<float>("x", x, 8, 3, 48, 192);
        var onGpu = gpu.Run([input], []).Single().ToArray<float>();
        using var value = OrtValue.CreateTensorValueFromMemory(x, [8, 3, 48, 192]);
        using var runOptions = new RunOptions();
        using var results = cpu.Run(runOptions, ["x"], [value], cpu.OutputNames);
        var onCpu = results[0].GetTensorDataAsSpan<float>().ToArray();
        var worst = onCpu.Zip(onGpu, (c, g) => Math.Abs(c - g) / Math.Max(Math.Abs(c), 1e-6f)).Max();
        var ok = worst <= 1e-3f;
        Console.WriteLine($"{(ok ? "OK" : "FAIL")}: GPU vs CPU outputs, max relative error {worst:E2} (limit 1e-3)");
        return ok ? 0 : 1;
    }

    private static void PrintThroughput(string model)
    {
        using var cpu = new InferenceSession(model);
        using var cudaOptions = new SessionOptions();
        cudaOptions.AppendExecutionProvider_CUDA(0);
        using var cuda = new InferenceSession(model, cudaOptions);
        Console.WriteLine("rows/s    batch 1    batch 8    batch 64");
        foreach (var (name, session) in new[] { ("GPU", cuda), ("CPU", cpu) })
        {
            var rates = new[] { 1, 8, 64 }.Select(batch => RowsPerSecond(session, batch));
            Console.WriteLine($"{name,-6}" + string.Concat(rates.Select(r => $"{r,11:F0}")));
        }
    }

    private static double RowsPerSecond(InferenceSession session, int batch)
    {
        var x = PaddleOcrClassifier.SampleInput(batch, seed: batch);
        using var value = OrtValue.CreateTensorValueFromMemory(x, [batch, 3, 48, 192]);
        using var runOptions = new RunOptions();
        for (var i = 0; i < 5; i++) session.Run(runOptions, ["x"], [value], session.OutputNames).Dispose();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            session.Run(runOptions, ["x"], [value], session.OutputNames).Dispose();
            rows += batch;
        }
        return rows / clock.Elapsed.TotalSeconds;
    }

    private static async Task<List<string>> MissingLibraries()
    {
        var start = new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true };
        using var ldconfig = Process.Start(start)!;
        var known = await ldconfig.StandardOutput.ReadToEndAsync();
        await ldconfig.WaitForExitAsync();
        var paths = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return [.. RequiredLibraries.Where(lib => !known.Contains(lib) && !paths.Any(p => File.Exists(Path.Combine(p, lib))))];
    }
}
