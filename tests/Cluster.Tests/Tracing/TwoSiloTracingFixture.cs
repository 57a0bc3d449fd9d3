extern alias silo;
using System.Diagnostics;
using Cluster.Modeling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Cluster.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Trace;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Tests.Tracing;

/// <summary>
/// A cluster of two silos in this process (so an in-memory exporter sees both): an inference silo
/// holding the replicas and a gateway silo serving HTTP and gRPC, which reaches the replicas only
/// through grain calls to the other silo. Both are the real silo application, on localhost clustering.
/// The repository holds one model and a pipeline over it.
/// </summary>
public sealed class TwoSiloTracingFixture : IAsyncLifetime
{
    private readonly TemporaryRepository _repository = new();
    private readonly List<Activity> _spans = [];
    private TracerProvider? _tracer;
    private WebApplication? _inference;
    private WebApplication? _gateway;

    /// <summary>A pipeline of four steps over the model: two calls of it, their average, its top class.</summary>
    public const string Pipeline = "traced-pipeline";

    public HttpClient Http { get; private set; } = null!;
    public int GrpcPort { get; private set; }
    public string InferenceSilo { get; private set; } = "";
    public string GatewaySilo { get; private set; } = "";

    /// <summary>Spans ended so far, of every source this process listens to.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans) return [.. _spans];
        }
    }

    public async ValueTask InitializeAsync()
    {
        // Stands in for the collector: the silos themselves export nothing (no Telemetry:OtlpEndpoint).
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(global::Cluster.Telemetry.InferenceTracing.SourceName, "Microsoft.Orleans.Application", "Microsoft.AspNetCore")
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_spans)
            .Build();
        _repository.Add("batched", "1", DemoMlp.Build(), """{"max_batch_size": 8, "dynamic_batching": {"max_queue_delay_microseconds": 300000}}""");
        var pipeline = Path.Combine(_repository.Root, Pipeline, "1");
        Directory.CreateDirectory(pipeline);
        await File.WriteAllTextAsync(Path.Combine(pipeline, "pipeline.json"), """
            {"inputs": ["x"], "steps": [
              {"name": "first", "model": "batched", "inputs": {"x": "pipeline.x"}},
              {"name": "second", "model": "batched", "inputs": {"x": "pipeline.x"}},
              {"name": "mean", "combine": "average", "from": ["first.probabilities", "second.probabilities"]},
              {"name": "top", "template": "top_k", "from": "mean.output", "k": 1}
            ], "outputs": {"class": "top.indices"}}
            """);
        var siloPort = FreePorts.Next();
        // The in-memory exporter stands in for an OTLP endpoint, so grain calls are traced as they would be when exporting.
        string[] common = ["--Telemetry:TraceGrainCalls=true", "--Dashboard:Enabled=false", "--Inference:Device=cpu", $"--Cluster:ServiceId=tracing-{Guid.NewGuid():N}", "--Cluster:ClusterId=tracing"];
        _inference = SiloApplication.Build([.. common, "--Silo:Roles=inference", $"--Silo:SiloPort={siloPort}", $"--Silo:GatewayPort={FreePorts.Next()}",
            $"--Models:Repository={_repository.Root}", $"--Gateway:Urls=http://127.0.0.1:{FreePorts.Next()}"]);
        await _inference.StartAsync();
        var httpPort = FreePorts.Next();
        GrpcPort = FreePorts.Next();
        _gateway = SiloApplication.Build([.. common, "--Silo:Roles=gateway", $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}",
            $"--Cluster:PrimarySiloPort={siloPort}", $"--Gateway:Urls=http://127.0.0.1:{httpPort}", $"--Gateway:GrpcUrls=http://127.0.0.1:{GrpcPort}"]);
        await _gateway.StartAsync();
        InferenceSilo = _inference.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
        GatewaySilo = _gateway.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        await Poll.Until(async () =>
        {
            using var ready = await Http.GetAsync("/v2/models/batched/ready");
            using var pipelineReady = await Http.GetAsync($"/v2/models/{Pipeline}/ready");
            return ready.IsSuccessStatusCode && pipelineReady.IsSuccessStatusCode;
        }, limit: TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var app in new[] { _gateway, _inference })
        {
            if (app is null) continue;
            await app.StopAsync();
            await app.DisposeAsync();
        }
        _tracer?.Dispose();
        _repository.Dispose();
    }
}
