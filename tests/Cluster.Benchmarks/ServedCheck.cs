using System.Text.Json;
using Cluster.Client;
using Cluster.Onnx;
using Cluster.Tensors;

namespace Cluster.Benchmarks;

/// <summary>
/// The GPU check's silo half: a silo process with Inference:Device=cuda serving each model twice,
/// on the silo's device and pinned to the CPU (<c>"device": "cpu"</c>), with dynamic batching. It
/// checks the provider each serves on, the memory budget against nvidia-smi, measures the
/// recognizer replica's GPU footprint by adding it while the silo runs, and the served throughput.
/// </summary>
internal static class ServedCheck
{
    private const string Batching = "\"max_batch_size\": 64, \"dynamic_batching\": {\"latency_target_ms\": 50}";
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(GpuCheckReport report, GpuCheckOptions options, IReadOnlyList<OcrModel> models)
    {
        var repository = Path.Combine(Path.GetTempPath(), "cluster-gpu-check", Guid.NewGuid().ToString("N"));
        var measured = models[^1];
        foreach (var model in models)
        {
            if (model != measured) Write(repository, model.Name, model, device: null);
            Write(repository, model.Name + "-cpu", model, device: "cpu");
        }
        var onCuda = report.Fallback is null;
        try
        {
            await using var silo = await CheckedSilo.StartAsync(options.Silo, repository, "--Models:WriteDemoModel=false", "--Models:PollSeconds=1",
                $"--Inference:Device={(onCuda ? "cuda" : "auto")}", "--Logging:LogLevel:Default=Warning");
            report.Info($"silo process {silo.ProcessId} ready ({options.Silo ?? "Cluster.Silo.dll via dotnet"}), Inference:Device={(onCuda ? "cuda" : "auto")}");
            var before = GpuMiB(silo);
            // Added while the silo runs (the repository is polled), so the difference is this one replica's.
            var staging = Path.Combine(repository, ".staging");
            Write(staging, measured.Name, measured, device: null);
            Directory.Move(Path.Combine(staging, measured.Name), Path.Combine(repository, measured.Name));
            await silo.WaitForOk($"/v2/models/{measured.Name}/ready", LoadTimeout);
            var loaded = GpuMiB(silo);

            foreach (var model in models)
            {
                await CheckProvider(report, silo, model.Name, onCuda ? ExecutionProviderSelector.CudaProvider : ExecutionProviderSelector.CpuProvider);
                await CheckProvider(report, silo, model.Name + "-cpu", ExecutionProviderSelector.CpuProvider);
            }
            await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [silo.GatewayPort], ResponseTimeout = TimeSpan.FromMinutes(5) });
            await Call(client, measured, measured.Name, GpuCheck.Batches[^1], measured.Sample(GpuCheck.Batches[^1], seed: 1));
            await CheckMemory(report, silo, measured, before, loaded, GpuMiB(silo));
            foreach (var model in models)
            {
                foreach (var (served, device) in new[] { (model.Name, report.Gpu), (model.Name + "-cpu", "CPU") })
                {
                    for (var i = 0; i < GpuCheck.Batches.Length; i++)
                    {
                        var batch = GpuCheck.Batches[i];
                        var x = model.Sample(batch, seed: batch);
                        // 64 rows in flight at every batch size (at least two requests), so the worker always has a queue to batch from.
                        var result = await LoadRunner.ClosedLoop("silo", served, Math.Max(2, 64 / batch), options.Cell / 3, options.Cell, _ => Call(client, model, served, batch, x));
                        report.Rate(model.Name, "silo, .NET client", device, i, result.Throughput * batch);
                        if (result.Failed > 0) report.Check(false, $"{result.Failed} served {served} requests of batch {batch} failed");
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    private static void Write(string repository, string name, OcrModel model, string? device)
    {
        Directory.CreateDirectory(Path.Combine(repository, name, "1"));
        File.Copy(model.Path, Path.Combine(repository, name, "1", "model.onnx"));
        File.WriteAllText(Path.Combine(repository, name, "config.json"), device is null ? $"{{{Batching}}}" : $$"""{{{Batching}}, "device": "{{device}}"}""");
    }

    private static Task Call(InferenceClient client, OcrModel model, string served, int batch, float[] x) =>
        client.InferAsync(served, [TensorData.From<float>("x", x, model.Shape(batch))]);

    private static async Task CheckProvider(GpuCheckReport report, CheckedSilo silo, string served, string expected)
    {
        var parameters = JsonDocument.Parse(await silo.Http.GetStringAsync($"/v2/models/{served}")).RootElement.GetProperty("parameters");
        var provider = parameters.TryGetProperty("execution_provider", out var p) ? p.GetString() : "none: " + parameters.GetProperty("reason").GetString();
        report.Check(provider == expected, $"the silo serves {served} on {provider} (expected {expected})");
    }

    // The silo's own figure when nvidia-smi can see its process id, else the whole device's (a container may hide pids).
    private static (long MiB, string Source)? GpuMiB(CheckedSilo silo) =>
        GpuMemoryProbe.ProcessMiB(silo.ProcessId) is { } mine ? (mine, "the silo process")
        : GpuMemoryProbe.UsedMiB() is { } device ? (device, "the whole GPU") : null;

    private static async Task CheckMemory(GpuCheckReport report, CheckedSilo silo, OcrModel measured, (long MiB, string Source)? before, (long MiB, string Source)? loaded, (long MiB, string Source)? served)
    {
        var (page, replica) = await MemoryEntry(silo, measured.Name);
        var budget = page.GetProperty("budget_bytes").GetInt64();
        var device = page.GetProperty("device").GetString();
        var ledger = $"the silo's ledger counts {MiB(replica.GetProperty("bytes").GetInt64())} MiB for it ({(replica.GetProperty("measured").GetBoolean() ? "measured" : "estimated, not measured")})";
        if (report.Fallback is not null)
        {
            report.Skipped($"memory budget {MiB(budget)} MiB of {device} memory (no GPU: 80 % of the memory available to the silo); {measured.Name} replica: {ledger}");
            return;
        }
        var total = GpuMemoryProbe.TotalMiB();
        var expected = total is { } t ? (long)(t * 1024L * 1024 * 0.9) : -1;
        report.Check(device == "cuda" && Math.Abs(budget - expected) <= 1024 * 1024,
            $"memory budget {MiB(budget)} MiB of {device} memory; nvidia-smi: {total?.ToString() ?? "?"} MiB total, 90 % = {MiB(expected)} MiB");
        if (before is { } b && loaded is { } l && served is { } s)
        {
            report.Check(s.MiB > b.MiB, $"{measured.Name} replica's GPU footprint per nvidia-smi ({b.Source}): +{l.MiB - b.MiB} MiB loaded, +{s.MiB - b.MiB} MiB after a batch of {GpuCheck.Batches[^1]}; {ledger}");
        }
        else
        {
            report.Check(false, $"nvidia-smi reports no GPU memory use; {ledger}");
        }
    }

    // Silos push their memory figures every 2 s, so a replica just loaded shows up a little later.
    private static async Task<(JsonElement Silo, JsonElement Replica)> MemoryEntry(CheckedSilo silo, string model)
    {
        for (var attempt = 0; ; attempt++)
        {
            var silos = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/memory")).RootElement.GetProperty("silos");
            if (silos.GetArrayLength() > 0)
            {
                var replicas = silos[0].GetProperty("replicas").EnumerateArray().Where(r => r.GetProperty("model").GetString() == model).ToList();
                if (replicas.Count > 0) return (silos[0], replicas[0]);
            }
            if (attempt == 60) throw new TimeoutException($"/api/memory did not list a replica of {model} within 15 s.");
            await Task.Delay(250);
        }
    }

    private static long MiB(long bytes) => bytes / (1024 * 1024);
}
