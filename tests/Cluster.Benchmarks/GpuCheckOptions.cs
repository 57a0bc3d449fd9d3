using System.Globalization;
using Cluster.Tests.Support;

namespace Cluster.Benchmarks;

/// <summary>
/// Options of <c>--gpu-check</c>: <c>--device cuda|auto</c> (auto reports a CPU fallback instead of
/// failing), <c>--silo PATH</c> (a published silo executable, as in the bundle; by default the
/// Cluster.Silo.dll built beside this program, run with <c>dotnet</c>), <c>--models DIR</c> (holding
/// the PaddleOCR classifier and recognizer; by default .cache/models, see tests/gpu/fetch-models.sh),
/// <c>--seconds S</c> per throughput cell and <c>--out FILE</c> for the Markdown report.
/// </summary>
internal sealed record GpuCheckOptions(bool RequireCuda, string? Silo, string Models, TimeSpan Cell, string? Out)
{
    public static GpuCheckOptions Parse(string[] args)
    {
        var device = Value(args, "--device") ?? "cuda";
        if (device is not ("cuda" or "auto")) throw new ArgumentException($"--device must be cuda or auto, not '{device}'.");
        var seconds = double.Parse(Value(args, "--seconds") ?? "3", CultureInfo.InvariantCulture);
        return new GpuCheckOptions(device == "cuda", Value(args, "--silo"),
            Value(args, "--models") ?? Path.Combine(RepositoryRoot.Path, ".cache", "models"), TimeSpan.FromSeconds(seconds), Value(args, "--out"));
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
