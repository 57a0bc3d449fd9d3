extern alias silo;
using System.Net;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Microsoft.AspNetCore.Builder;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Tests.Cli;

/// <summary>
/// A real silo, in-process, requiring API keys (admin key <see cref="TestKeys.Admin"/>), serving the
/// demo model it writes itself, as <c>dotnet run --project Silo</c> does on a fresh machine, plus
/// identity models of datatypes with their own byte layouts and a BYTES model, for the load tester's encodings.
/// </summary>
public sealed class CliSiloFixture : IAsyncLifetime
{
    private readonly TemporaryRepository _repository = new();
    private WebApplication? _app;

    /// <summary>The running silo's web application (its endpoints, its services).</summary>
    public WebApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public string Url { get; } = $"http://127.0.0.1:{FreePorts.Next()}";

    public string GrpcUrl { get; } = $"http://127.0.0.1:{FreePorts.Next()}";

    /// <summary>Where the silo writes captured predictions (beside the repository, whose scan would take its folders for models).</summary>
    public string CaptureDirectory { get; } = Path.Combine(Path.GetTempPath(), "cli-captures-" + Guid.NewGuid().ToString("N"));

    /// <summary>The global options every call of the tool gets: this silo's URLs and the admin key.</summary>
    public string[] Connection => ["--url", Url, "--grpc-url", GrpcUrl, "--api-key", TestKeys.Admin];

    public async ValueTask InitializeAsync()
    {
        foreach (var type in new[] { TensorDataType.Bool, TensorDataType.Int8, TensorDataType.FP16, TensorDataType.UInt64 }) _repository.Add(TestModels.IdentityName(type), "1", TestModels.Identity(type));
        _repository.Add("strings", "1", TestModels.Strings());
        _app = SiloApplication.Build([
            $"--Gateway:Urls={Url}", $"--Gateway:GrpcUrls={GrpcUrl}",
            $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}",
            $"--Models:Repository={_repository.Root}", "--Inference:Device=cpu", "--Dashboard:Enabled=false",
            $"--Capture:Directory={CaptureDirectory}", "--Security:RequireKeys=true", TestKeys.BootstrapSetting, "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        await Poll.Until(async () =>
        {
            using var ready = await http.GetAsync("/v2/health/ready");
            return ready.StatusCode == HttpStatusCode.OK;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _repository.Dispose();
        if (Directory.Exists(CaptureDirectory)) Directory.Delete(CaptureDirectory, recursive: true);
    }
}
