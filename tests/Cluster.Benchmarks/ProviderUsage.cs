using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>
/// Which execution provider ran each node of a model, read from ONNX Runtime's profile of a real
/// run: a session can be created with the CUDA provider and still place nodes on the CPU, so
/// "the session asked for CUDA" is not proof that the GPU computed anything.
/// </summary>
internal sealed record ProviderUsage(int Nodes, int OnCuda, int HeavyNodes, int HeavyOnCuda, double CudaTimeShare)
{
    // The operators that carry these models' compute; on a CPU they are the whole cost.
    private static readonly HashSet<string> Heavy = ["Conv", "ConvTranspose", "MatMul", "Gemm", "FusedConv", "FusedMatMul", "FusedGemm"];

    /// <summary>True when every heavy node ran on CUDA.</summary>
    public bool ComputeOnCuda => HeavyNodes > 0 && HeavyOnCuda == HeavyNodes;

    public override string ToString() =>
        $"{OnCuda} of {Nodes} nodes on CUDA ({HeavyOnCuda} of {HeavyNodes} Conv/MatMul/Gemm), {CudaTimeShare:P0} of node time";

    /// <summary>Runs <paramref name="input"/> once more with profiling on and reads the profile.</summary>
    public static ProviderUsage Measure(string model, SessionOptions options, OcrModel spec, int rows)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"cluster-gpu-profile-{Guid.NewGuid():N}");
        options.EnableProfiling = true;
        options.ProfileOutputPathPrefix = prefix;
        string file;
        using (var session = new InferenceSession(model, options))
        {
            using var value = OrtValue.CreateTensorValueFromMemory(spec.Sample(rows, seed: 11), spec.Shape(rows));
            using var runOptions = new RunOptions();
            // Twice: the first run may include one-off work (cuDNN algorithm search) placed differently.
            for (var i = 0; i < 2; i++) session.Run(runOptions, ["x"], [value], session.OutputNames).Dispose();
            file = session.EndProfiling();
        }
        try
        {
            return Read(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ProviderUsage Read(string file)
    {
        using var profile = JsonDocument.Parse(File.ReadAllText(file));
        var nodes = new Dictionary<string, (string Op, string Provider)>();
        double cudaTime = 0, allTime = 0;
        foreach (var e in profile.RootElement.EnumerateArray())
        {
            if (e.GetProperty("cat").GetString() != "Node" || !e.TryGetProperty("args", out var args)) continue;
            if (!args.TryGetProperty("provider", out var provider) || !args.TryGetProperty("op_name", out var op)) continue;
            var name = e.GetProperty("name").GetString() ?? "";
            if (!name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            nodes[name] = (op.GetString() ?? "", provider.GetString() ?? "");
            var duration = e.TryGetProperty("dur", out var dur) ? dur.GetDouble() : 0;
            allTime += duration;
            if (provider.GetString() == "CUDAExecutionProvider") cudaTime += duration;
        }
        bool Cuda((string Op, string Provider) n) => n.Provider == "CUDAExecutionProvider";
        var heavy = nodes.Values.Where(n => Heavy.Contains(n.Op)).ToList();
        return new ProviderUsage(nodes.Count, nodes.Values.Count(Cuda), heavy.Count, heavy.Count(Cuda), allTime > 0 ? cudaTime / allTime : 0);
    }
}
