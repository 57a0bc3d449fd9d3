using System.Diagnostics;
using System.Security.Cryptography;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Gpu;

/// <summary>
/// The GPU bundle's transport on a small synthetic payload: tests/gpu/split-parts.sh (bundle.sh's
/// last step) and run-from-bundle.sh --join-only (its first), so the suite need not publish and
/// compress the whole bundle (about 15 minutes on 2 cores, see docs/BENCHMARKS.md).
/// </summary>
public sealed class BundlePartsTests : IDisposable
{
    private const int PartBytes = 16 * 1024;
    private static readonly string Scripts = Path.Combine(RepositoryRoot.Path, "tests", "gpu");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cluster-bundle-tests", Guid.NewGuid().ToString("N"));
    private readonly byte[] _payload = new byte[PartBytes * 3 + 1234];

    public BundlePartsTests()
    {
        new Random(24).NextBytes(_payload);
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, "payload.bin"), _payload);
    }

    [Fact]
    public async Task SplitWritesPartsNoLargerThanTheLimitAndAManifestOfEveryHash()
    {
        var parts = await Split();

        var lines = File.ReadAllLines(Path.Combine(parts, "MANIFEST")).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ')).ToList();
        var partLines = lines.Where(l => l[0] == "part").ToList();
        partLines.Select(l => l[1]).ShouldBe(["payload.bin.000", "payload.bin.001", "payload.bin.002", "payload.bin.003"]);
        foreach (var line in partLines)
        {
            var bytes = File.ReadAllBytes(Path.Combine(parts, line[1]));
            bytes.Length.ShouldBeLessThanOrEqualTo(PartBytes);
            line[2].ShouldBe(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            line[3].ShouldBe(Sha256(bytes));
        }
        lines.Single(l => l[0] == "archive").ShouldBe(["archive", "payload.bin", _payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Sha256(_payload)]);
    }

    [Fact]
    public async Task AGoodSetJoinsByteIdenticalBesideACopiedScript()
    {
        var parts = await Split();

        var (exitCode, _) = await Join(parts);

        exitCode.ShouldBe(0);
        File.ReadAllBytes(Path.Combine(_folder, "joined.bin")).ShouldBe(_payload);
    }

    [Fact]
    public async Task ACorruptPartIsRefusedByName()
    {
        var parts = await Split();
        var part = Path.Combine(parts, "payload.bin.001");
        var bytes = File.ReadAllBytes(part);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(part, bytes);

        var (exitCode, output) = await Join(parts);

        exitCode.ShouldNotBe(0);
        output.ShouldContain("part payload.bin.001 is corrupt: SHA-256");
        output.ShouldNotContain("payload.bin.000 is");
        File.Exists(Path.Combine(_folder, "joined.bin")).ShouldBeFalse();
    }

    [Fact]
    public async Task AMissingOrTruncatedPartIsRefusedByName()
    {
        var parts = await Split();
        File.Delete(Path.Combine(parts, "payload.bin.002"));
        var truncated = Path.Combine(parts, "payload.bin.003");
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..100]);

        var (exitCode, output) = await Join(parts);

        exitCode.ShouldNotBe(0);
        output.ShouldContain("part payload.bin.002 is missing");
        output.ShouldContain("part payload.bin.003 is corrupt: 100 bytes");
        File.Exists(Path.Combine(_folder, "joined.bin")).ShouldBeFalse();
    }

    // The parts land in their own folder with a copy of run-from-bundle.sh, as on a GPU machine.
    private async Task<string> Split()
    {
        var parts = Path.Combine(_folder, "parts");
        var (exitCode, output) = await Bash(Path.Combine(Scripts, "split-parts.sh"), Path.Combine(_folder, "payload.bin"), parts, PartBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        exitCode.ShouldBe(0, output);
        File.Copy(Path.Combine(Scripts, "run-from-bundle.sh"), Path.Combine(parts, "run-from-bundle.sh"));
        return parts;
    }

    private Task<(int ExitCode, string Output)> Join(string parts) =>
        Bash(Path.Combine(parts, "run-from-bundle.sh"), "--join-only", Path.Combine(_folder, "joined.bin"));

    private static async Task<(int ExitCode, string Output)> Bash(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
