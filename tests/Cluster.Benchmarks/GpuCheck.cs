using System.Diagnostics;
using Cluster.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>
/// The GPU machine check (tests/gpu/run-from-bundle.sh, or check.sh from source): the CUDA provider
/// computes the PaddleOCR classifier and recognizer (per ONNX Runtime's profile, not just a session
/// that asked for it), outputs equal the CPU provider's within 1e-3 relative error, GPU vs CPU
/// throughput at batch 1, 8, 64 raw and through a silo process with Inference:Device=cuda under
/// concurrent load with dynamic batching, and the silo's GPU memory budget and a replica's GPU
/// footprint (<see cref="ServedCheck"/>). With <c>--device auto</c> and no usable CUDA the same
/// path runs on the CPU and says so, exiting 0 unless something else failed.
/// </summary>
internal static class GpuCheck
{
    public static readonly int[] Batches = [1, 8, 64];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = GpuCheckOptions.Parse(args);
        var report = new GpuCheckReport();
        var models = OcrModel.In(options.Models);
        if (models.FirstOrDefault(m => !File.Exists(m.Path)) is { } absent)
        {
            report.Check(false, $"model file {absent.Path} is missing (tests/gpu/fetch-models.sh)");
            return await report.Finish(options.Out);
        }
        var selector = new ExecutionProviderSelector(Options.Create(new InferenceOptions { Device = options.RequireCuda ? "cuda" : "auto" }), NullLogger<ExecutionProviderSelector>.Instance);
        try
        {
            new OnnxSessionFactory(selector).Load(models[0].Path, "cuda").Dispose();
            report.Info($"the CUDA execution provider loads (ONNX Runtime {OrtEnv.Instance().GetVersionString()})");
        }
        catch (ModelSessionException ex)
        {
            if (options.RequireCuda)
            {
                report.Check(false, $"the CUDA execution provider does not load: {ex.Message}");
                return await report.Finish(options.Out);
            }
            report.Fallback = FirstLine(ex.Message);
            report.Skipped($"the CUDA execution provider does not load, so every \"GPU\" figure below is the CPU provider's: {report.Fallback}");
        }
        var device = report.Fallback is null ? ExecutionDevice.Cuda : ExecutionDevice.Cpu;
        foreach (var model in models)
        {
            CheckProviders(report, selector, model, device);
            CompareWithCpu(report, selector, model, device);
        }
        try
        {
            await ServedCheck.RunAsync(report, options, models);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            // Still the raw figures and one result line, rather than a stack trace.
            report.Check(false, $"the served half stopped: {ex.GetType().Name}: {FirstLine(ex.Message)}");
        }
        foreach (var model in models) MeasureRaw(report, selector, model, device, options.Cell);
        return await report.Finish(options.Out);
    }

    private static void CheckProviders(GpuCheckReport report, ExecutionProviderSelector selector, OcrModel model, ExecutionDevice device)
    {
        var (sessionOptions, _) = selector.Create(device);
        using (sessionOptions)
        {
            var usage = ProviderUsage.Measure(model.Path, sessionOptions, model, rows: 8);
            if (report.Fallback is null) report.Check(usage.ComputeOnCuda, $"{model.Name} computes on the CUDA provider: {usage}");
            else report.Skipped($"{model.Name}: {usage}");
        }
    }

    private static void CompareWithCpu(GpuCheckReport report, ExecutionProviderSelector selector, OcrModel model, ExecutionDevice device)
    {
        var x = model.Sample(8, seed: 3);
        var onCpu = Run(selector, model, ExecutionDevice.Cpu, x);
        var worst = OutputComparison.MaxRelativeError(onCpu, Run(selector, model, device, x));
        var line = $"{model.Name}: {report.Gpu} vs CPU outputs, max relative error {worst:E2} (limit {OutputComparison.Limit:E0})";
        if (worst > OutputComparison.Limit && device == ExecutionDevice.Cuda)
        {
            // One GPU run should also say whether TF32 math (the CUDA provider's default on Ampere and later) is the cause.
            using var noTf32 = new OrtCUDAProviderOptions();
            noTf32.UpdateOptions(new Dictionary<string, string> { ["device_id"] = "0", ["use_tf32"] = "0" });
            using var strict = SessionOptions.MakeSessionOptionWithCudaProvider(noTf32);
            line += $"; with use_tf32=0: {OutputComparison.MaxRelativeError(onCpu, Run(strict, model, x)):E2}";
        }
        report.Check(worst <= OutputComparison.Limit, line);
    }

    private static float[] Run(ExecutionProviderSelector selector, OcrModel model, ExecutionDevice device, float[] x)
    {
        var (sessionOptions, _) = selector.Create(device);
        using (sessionOptions) return Run(sessionOptions, model, x);
    }

    private static float[] Run(SessionOptions sessionOptions, OcrModel model, float[] x)
    {
        using var session = new InferenceSession(model.Path, sessionOptions);
        using var value = OrtValue.CreateTensorValueFromMemory(x, model.Shape(x.Length / model.RowLength));
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x"], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void MeasureRaw(GpuCheckReport report, ExecutionProviderSelector selector, OcrModel model, ExecutionDevice device, TimeSpan cell)
    {
        foreach (var (name, on) in new[] { (report.Gpu, device), ("CPU", ExecutionDevice.Cpu) })
        {
            var (sessionOptions, _) = selector.Create(on);
            using (sessionOptions)
            {
                using var session = new InferenceSession(model.Path, sessionOptions);
                for (var i = 0; i < Batches.Length; i++) report.Rate(model.Name, "raw ONNX Runtime", name, i, RowsPerSecond(session, model, Batches[i], cell));
            }
        }
    }

    private static double RowsPerSecond(InferenceSession session, OcrModel model, int batch, TimeSpan cell)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(model.Sample(batch, seed: batch), model.Shape(batch));
        using var runOptions = new RunOptions();
        // Warm-up: the first runs of a shape pay for allocation and, on CUDA, the cuDNN algorithm search.
        for (var i = 0; i < 3; i++) session.Run(runOptions, ["x"], [value], session.OutputNames).Dispose();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            session.Run(runOptions, ["x"], [value], session.OutputNames).Dispose();
            rows += batch;
        }
        while (clock.Elapsed < cell);
        return rows / clock.Elapsed.TotalSeconds;
    }

    // The selector's wording assumes a silo configured for cuda; the reason after it is what matters here.
    private static string FirstLine(string text)
    {
        const string Lead = "cannot load: ";
        var line = text.Split('\n', 2)[0].Trim();
        return line.Contains(Lead, StringComparison.Ordinal) ? line[(line.IndexOf(Lead, StringComparison.Ordinal) + Lead.Length)..] : line;
    }
}
