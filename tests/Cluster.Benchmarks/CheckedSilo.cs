using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cluster.Tests.Support;

namespace Cluster.Benchmarks;

/// <summary>
/// A silo in its own process for the GPU check: the bundle's published executable (no .NET on a
/// bare GPU machine, so never <c>dotnet run</c>), or the Cluster.Silo.dll built beside this program.
/// Its own process also lets nvidia-smi attribute GPU memory to the silo alone.
/// </summary>
internal sealed class CheckedSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private CheckedSilo(Process process, int httpPort, int gatewayPort)
    {
        _process = process;
        GatewayPort = gatewayPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int GatewayPort { get; }
    public int ProcessId => _process.Id;
    public HttpClient Http { get; }
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<CheckedSilo> StartAsync(string? executable, string repository, params string[] settings)
    {
        int httpPort = FreePorts.Next(), siloPort = FreePorts.Next(), gatewayPort = FreePorts.Next(), grpcPort = FreePorts.Next();
        var start = executable is null
            ? new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Cluster.Silo.dll") } }
            : new ProcessStartInfo(executable);
        start.WorkingDirectory = repository;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var arg in new[]
        {
            $"--Gateway:Urls=http://127.0.0.1:{httpPort}", $"--Gateway:GrpcUrls=http://127.0.0.1:{grpcPort}",
            $"--Silo:SiloPort={siloPort}", $"--Silo:GatewayPort={gatewayPort}", $"--Models:Repository={repository}",
        }.Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }
        var silo = new CheckedSilo(Process.Start(start)!, httpPort, gatewayPort);
        try
        {
            await silo.WaitForOk("/v2/health/ready", TimeSpan.FromMinutes(3));
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200 (a model loading on a GPU may take a while: cuDNN warms up).</summary>
    public async Task WaitForOk(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The silo exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{path} did not answer 200 within {timeout}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
