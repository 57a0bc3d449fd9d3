using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Cluster.Tests.Support;

/// <summary>
/// A real silo process (the same Cluster.Silo.dll that <c>dotnet run --project Silo</c> starts) on
/// free loopback ports, serving a given model repository. Started ready, killed on dispose.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private SiloProcess(Process process, int httpPort, int siloPort, int gatewayPort)
    {
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int HttpPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int GrpcPort { get; private init; }
    public int ProcessId => _process.Id;
    public HttpClient Http { get; }
    public string Output => string.Join(Environment.NewLine, _output);

    // The dashboard costs a starting silo about a second of CPU and samples every silo each second; on a 2-core
    // machine that starts silos by the dozen it is off unless a test turns it on (the shared serving silo does, as
    // the default configuration has it).
    private const string DashboardSetting = "--Dashboard:Enabled=";

    public static Task<SiloProcess> StartAsync(string repository, params string[] settings) => StartAsync(repository, waitForReady: true, settings);

    public static async Task<SiloProcess> StartAsync(string repository, bool waitForReady, params string[] settings)
    {
        var httpPort = FreePorts.Next();
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var grpcPort = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cluster.Silo.dll"));
        foreach (var arg in new[]
        {
            $"--Gateway:Urls=http://127.0.0.1:{httpPort}",
            $"--Silo:SiloPort={siloPort}",
            $"--Silo:GatewayPort={gatewayPort}",
            $"--Gateway:GrpcUrls=http://127.0.0.1:{grpcPort}",
            $"--Models:Repository={repository}",
        }.Concat(settings.Any(s => s.StartsWith(DashboardSetting, StringComparison.Ordinal)) ? settings : [$"{DashboardSetting}false", .. settings]))
        {
            start.ArgumentList.Add(arg);
        }
        var silo = new SiloProcess(Process.Start(start)!, httpPort, siloPort, gatewayPort) { GrpcPort = grpcPort };
        // A silo given an admin key is called with it, so tests of other things need not think about keys.
        const string bootstrap = "--Security:BootstrapAdminKey=";
        if (settings.LastOrDefault(s => s.StartsWith(bootstrap, StringComparison.Ordinal)) is { } key)
        {
            silo.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key[bootstrap.Length..]);
        }
        try
        {
            // A silo moved to HTTPS elsewhere is not reachable through Http; its test waits for it itself.
            if (!settings.Any(setting => setting.StartsWith("--Gateway:Urls=https", StringComparison.Ordinal)))
            {
                await silo.WaitUntilReady(TimeSpan.FromSeconds(90), waitForReady ? "/v2/health/ready" : "/v2/health/live");
            }
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the silo as an operator would (SIGTERM): it leaves the cluster cleanly.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        await Signal("TERM");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Halts the silo's process without ending it (SIGSTOP), as a long pause or a frozen machine leaves one: a member that answers nothing.</summary>
    public Task FreezeAsync() => Signal("STOP");

    /// <summary>Lets a frozen silo run again (SIGCONT).</summary>
    public Task ThawAsync() => Signal("CONT");

    private async Task Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Resident memory of the silo process (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Kills the silo with SIGKILL, as a crashed machine would leave it.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    private Task WaitUntilReady(TimeSpan timeout, string probe) => Poll.Until(async () =>
    {
        if (_process.HasExited) throw new InvalidOperationException($"The silo exited with {_process.ExitCode}:\n{Output}");
        try
        {
            using var response = await Http.GetAsync(probe);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // Not listening yet.
        }
    }, this, timeout);

    // A test's finally may dispose a silo it already replaced when the replacement failed to start; the start's error must surface, not this.
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
