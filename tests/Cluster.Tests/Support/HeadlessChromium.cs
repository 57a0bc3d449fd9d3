using System.Diagnostics;

namespace Cluster.Tests.Support;

/// <summary>Debian's Chromium, headless, to look at pages as a person's browser renders them (scripts run).</summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>The DOM after scripts ran for up to <paramref name="budget"/> of virtual time.</summary>
    public static Task<string> DumpDom(string url, TimeSpan budget) => Run(url, budget, "--dump-dom");

    /// <summary>Saves a PNG of the page as rendered.</summary>
    public static Task Screenshot(string url, string path, TimeSpan budget) => Run(url, budget, $"--screenshot={path}", "--window-size=1280,900");

    /// <summary>
    /// Runs Chromium once more when it dies of a signal or hangs: under a loaded CI machine headless Chromium has
    /// segfaulted (exit 139) before rendering anything, and has once sat past 90 s on a page it rendered in seconds
    /// before and after, which says nothing about the page. A page that renders wrongly still fails, and so does a
    /// browser that crashes or hangs twice (a page whose scripts never let the network go quiet does).
    /// </summary>
    private static async Task<string> Run(string url, TimeSpan budget, params string[] action)
    {
        try
        {
            return await RunOnce(url, budget, action);
        }
        catch (Exception ex) when (ex is ChromiumCrashedException or TimeoutException)
        {
            return await RunOnce(url, budget, action);
        }
    }

    private static async Task<string> RunOnce(string url, TimeSpan budget, string[] action)
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing; install Debian's chromium package (./test.sh does).");
        var profile = Path.Combine(Path.GetTempPath(), "cluster-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        // The flags keep Chromium off the network it cannot reach here and let it run as root.
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
            $"--virtual-time-budget={(int)budget.TotalMilliseconds}" }.Concat(action).Append(url))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A page whose scripts keep the network busy never lets virtual time run out; say so, and leave no browser behind.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish {url} within 90 s (virtual time budget {budget.TotalSeconds} s)");
        }
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A profile folder left in temp is harmless.
        }
        // 128 + n: killed by signal n (139: SIGSEGV).
        if (process.ExitCode > 128) throw new ChromiumCrashedException($"chromium died with {process.ExitCode}: {await errors}");
        if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await errors}");
        return await output;
    }

    private sealed class ChromiumCrashedException(string message) : InvalidOperationException(message);
}
