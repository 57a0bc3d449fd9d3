using Cluster.Artifacts;
using Cluster.Cost;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Memory;
using Cluster.Models;
using Cluster.Onnx;
using Cluster.Placement;
using Cluster.Telemetry;
using Cluster.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Replicas;

/// <summary>
/// Owns one model session (<see cref="IModelSession"/>, ONNX Runtime in production). Not reentrant: one batch at a time, which is what a session on
/// a GPU stream wants. Loading and running happen on the thread pool so the silo's scheduler
/// threads never block on compute; the session is disposed when the activation ends.
/// </summary>
[ReplicaPlacement]
public sealed partial class ReplicaGrain(IModelSessionFactory sessions, IArtifactStore artifacts, MemoryLedger memory, UsageMeter usage, IOptions<InferenceOptions> options, TimeProvider time, InferenceInstruments instruments, ILocalSiloDetails silo, ILogger<ReplicaGrain> logger) : Grain, IReplicaGrain
{
    private IModelSession? _session;
    private MemoryEntry? _memory;
    private VersionRegistration? _loaded;
    // The key string, kept: Orleans decodes a fresh string from the grain id on each GetPrimaryKeyString, and every batch needs it.
    private string _key = "";
    private string _model = "";
    private string _version = "";
    private int _index;
    // A short run goes inline on the grain's turn: handing it to another pool thread and back (a closure, tasks, two
    // dispatches) costs as much as a small model's whole run. A long one (a large batch, a GPU run) leaves the turn, so that
    // Orleans does not count the grain's turn as a stalled one. The first run of a session is assumed long.
    private static readonly TimeSpan InlineBelow = TimeSpan.FromMilliseconds(10);
    private TimeSpan _lastRun = TimeSpan.MaxValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        (_model, _version, _index) = GrainKeys.Parse(_key);
        return Task.CompletedTask;
    }

    public async Task<ReplicaLoadResult> Load(VersionRegistration registration)
    {
        if (_session is null || !IsSameArtifact(_loaded, registration))
        {
            var path = await artifacts.GetLocalPathAsync(registration);
            var config = registration.Config;
            // A model that requires an accelerator must fail loudly rather than fall back to CPU.
            var device = config.RequireAccelerator ? "cuda" : config.Device;
            var fileBytes = new FileInfo(path).Length;
            // Before the load, guess weights twice over (ONNX Runtime's copy plus its arena); after it, count what the load took.
            var entry = await memory.Admit(_key, config.MemoryBytes > 0 ? config.MemoryBytes : fileBytes * 2, config.Pinned,
                (model, version) => GrainFactory.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version)).Evict($"the memory budget of {silo.SiloAddress} was full when {_key} loaded"));
            IModelSession session;
            string? gpu = null;
            try
            {
                var before = Environment.WorkingSet;
                session = await Task.Run(() =>
                {
                    var loaded = sessions.Load(path, device);
                    try
                    {
                        loaded.WarmUp();
                    }
                    catch
                    {
                        loaded.Dispose();
                        throw;
                    }
                    return loaded;
                });
                var onCuda = session.ExecutionProvider.StartsWith("CUDA", StringComparison.Ordinal);
                // Host memory growth says nothing about device memory; there the declared size or the guess stands.
                var measured = config.MemoryBytes == 0 && !onCuda;
                memory.Complete(entry, config.MemoryBytes > 0 ? config.MemoryBytes : measured ? Math.Max(Environment.WorkingSet - before, fileBytes) : fileBytes * 2, measured, onCuda);
                // Asked of nvidia-smi once per silo, off the scheduler's threads.
                if (onCuda) gpu = await Task.Run(() => GpuNames.Of(options.Value.CudaDeviceId));
            }
            catch
            {
                memory.Abandon(entry);
                throw;
            }
            _session?.Dispose();
            if (_memory is not null && !ReferenceEquals(_memory, entry)) memory.Release(_memory);
            _session = session;
            _lastRun = TimeSpan.MaxValue;
            _memory = entry;
            _loaded = registration;
            usage.Loaded(_key, _model, _version, DeviceClass.Of(session.ExecutionProvider), () => entry.Bytes, gpu);
            LogLoaded(logger, _key, session.ExecutionProvider);
        }
        return new ReplicaLoadResult(_session.Signature, _session.ExecutionProvider, silo.SiloAddress);
    }

    // Registrations arrive as fresh copies from other silos, so compare what decides the session, not references.
    private static bool IsSameArtifact(VersionRegistration? loaded, VersionRegistration wanted) =>
        loaded is not null && loaded.Sha256 == wanted.Sha256 && loaded.ArtifactPath == wanted.ArtifactPath && loaded.Config.Device == wanted.Config.Device;

    public async Task<ReplicaBatchResult> Run(ReplicaBatch batch)
    {
        // A batch from a router on another silo arrived in lent arrays, given back once ONNX Runtime has run it.
        var received = TensorBuffers.Claim(batch.Inputs);
        try
        {
            var session = _session ?? await LoadFromCatalog();
            _memory?.Touch(time.GetTimestamp());
            using var span = InferenceTracing.Start("compute", _model, _version);
            var rows = batch.Rows;
            span?.SetTag("cluster.batch.rows", rows);
            span?.SetTag("cluster.provider", session.ExecutionProvider);
            span?.SetTag("cluster.silo", silo.SiloAddress.ToString());
            var (outputs, elapsed) = _lastRun < InlineBelow
                ? session.RunTimed(batch.Inputs, batch.Outputs)
                : await Task.Run(() => session.RunTimed(batch.Inputs, batch.Outputs));
            _lastRun = elapsed;
            instruments.RecordBatch(_model, _version, rows, elapsed);
            usage.RecordBatch(_key, batch.RowCounts.Length, rows, elapsed);
            TensorBuffers.ReturnClaimed(received, outputs);
            return new ReplicaBatchResult(outputs, elapsed);
        }
        catch (Exception ex) when (ex is ModelSessionException or FileNotFoundException)
        {
            // The runtime's exception type is not known to every caller, so its message travels in ours.
            throw new InferenceFailedException($"The model runtime failed to run model {_key}: {ex.Message}");
        }
    }

    public Task Unload()
    {
        // Free the session now, not when deactivation gets round to it, so its memory is back when unload answers.
        FreeSession();
        _loaded = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        FreeSession();
        return Task.CompletedTask;
    }

    private void FreeSession()
    {
        if (_session is not null) usage.Unloaded(_key);
        _session?.Dispose();
        _session = null;
        if (_memory is not null) memory.Release(_memory);
        _memory = null;
    }

    private async Task<IModelSession> LoadFromCatalog()
    {
        var info = await GrainFactory.GetGrain<IModelGrain>(_model).GetInfo();
        var entry = info.FindVersion(_version) ?? throw new ModelNotFoundException($"Model '{_model}' has no version '{_version}'.");
        if (entry.Status == VersionStatus.Unloaded) throw new ModelNotReadyException($"Model '{_model}' version {_version} is unloaded.");
        // A caller with a stale replica count must not bring back a replica that was scaled away: its session would serve nobody.
        if (_index >= entry.Replicas) throw new ReplicaRetiredException($"Model '{_model}' version {_version} has {entry.Replicas} replicas serving now, not replica {_index}; retry the request.", entry.Replicas);
        await Load(entry.Registration);
        return _session!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} loaded its session on {Provider}")]
    private static partial void LogLoaded(ILogger logger, string replica, string provider);
}
