using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Tensors;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Statistics;
using Cluster.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Pipelines;

/// <summary>
/// Serves one pipeline version on this silo: each model step goes through that model's router, so
/// every step keeps its own version choice, batching, replicas and statistics. Keeps only caches
/// (the parsed definition, router references) and this silo's statistics of the pipeline, pushed
/// once a second to the version's stats grain like a batch worker's. One reentrant activation per
/// silo, as the router: a caller's cancellation reaches a stateless worker only when there is one.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
public sealed partial class PipelineGrain(PipelineLoader loader, PipelineInstruments instruments, TimeProvider time, ILogger<PipelineGrain> logger) : Grain, IPipelineGrain
{
    private readonly Dictionary<string, IRouterGrain> _routers = new(StringComparer.Ordinal);
    private readonly StatsCollector _stats = new();
    // Template steps' sessions, for the definition _executor was made from.
    private TemplateSessions _templates = new();
    private (string Sha256, PipelineExecutor Executor)? _executor;
    private MonitoringConfig _monitoring = MonitoringConfig.Default;
    private string _pipeline = "";
    private string _version = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_pipeline, _version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        this.RegisterGrainTimer(PushStats, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _templates.Dispose();
        return PushStats(cancellationToken);
    }

    public async Task<InferenceResponse> Run(InferenceRequest request, ModelVersionInfo version, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // Inputs from a router on another silo arrived in lent arrays; given back once the pipeline has answered, unless an output is one.
        var received = TensorBuffers.Claim(request.Inputs);
        // The span every step's span hangs under: one per pipeline request, on the silo that runs it.
        using var span = InferenceTracing.Start("pipeline", _pipeline, _version);
        var config = version.Registration.Config;
        _monitoring = config.Monitoring ?? MonitoringConfig.Default;
        try
        {
            var executor = await Executor(version.Registration);
            var timeout = request.Timeout ?? (config.Batching.DefaultTimeoutMicroseconds > 0 ? TimeSpan.FromMicroseconds(config.Batching.DefaultTimeoutMicroseconds) : null);
            var outputs = await executor.Run(request, timeout, cancellationToken);
            if (_monitoring.Statistics)
            {
                // A pipeline request is its own "batch": rows and whole-pipeline time, so the v2 statistics read as for a model.
                var elapsed = time.GetElapsedTime(started);
                _stats.RecordSuccess(elapsed);
                _stats.RecordBatch((int)request.Inputs[0].Shape.FirstOrDefault(1), elapsed);
                _stats.RecordOutputs(outputs);
            }
            TensorBuffers.ReturnClaimed(received, outputs);
            return new InferenceResponse(_pipeline, _version, request.Id, outputs);
        }
        catch (Exception ex)
        {
            span.Fail(ex);
            _stats.RecordFailures(1);
            throw;
        }
    }

    private async Task<PipelineExecutor> Executor(VersionRegistration registration)
    {
        if (_executor is { } cached && cached.Sha256 == registration.Sha256) return cached.Executor;
        var definition = await loader.Read(registration);
        _templates.Dispose();
        _templates = new TemplateSessions();
        var executor = new PipelineExecutor(_pipeline, definition, CallStep, (step, input) => _templates.Run(step, input), (step, then, otherwise) => instruments.RecordBranch(_pipeline, _version, step.Name, then, otherwise), time);
        _executor = (registration.Sha256, executor);
        return executor;
    }

    private Task<InferenceResponse> CallStep(ModelStep step, InferenceRequest request, CancellationToken cancellationToken)
    {
        if (!_routers.TryGetValue(step.Model, out var router))
        {
            router = GrainFactory.GetGrain<IRouterGrain>(step.Model);
            _routers[step.Model] = router;
        }
        return router.Infer(request, step.Version, cancellationToken);
    }

    /// <summary>Once a second: this silo's requests of the pipeline to the version's stats grain.</summary>
    private async Task PushStats(CancellationToken cancellationToken)
    {
        var delta = _stats.TakeDelta();
        if (delta.IsEmpty) return;
        try
        {
            await GrainFactory.GetGrain<IModelStatsGrain>(GrainKeys.Version(_pipeline, _version)).Push(delta, _monitoring);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // Statistics are best effort: a lost summary must never fail or slow the pipeline.
            LogStatsPushFailed(logger, _pipeline, _version, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline} version {Version}: statistics push failed: {Reason}")]
    private static partial void LogStatsPushFailed(ILogger logger, string pipeline, string version, string reason);
}
