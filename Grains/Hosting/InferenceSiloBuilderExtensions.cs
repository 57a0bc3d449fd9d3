using Cluster.Alerts;
using Cluster.Artifacts;
using Cluster.Onnx;
using Cluster.Placement;
using Cluster.Replicas;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Cluster.Repository;
using Cluster.Telemetry;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Hosting;

/// <summary>Registers what the inference grains need on a silo.</summary>
public static class InferenceSiloBuilderExtensions
{
    /// <summary>
    /// Adds model sessions (ONNX Runtime unless an <see cref="IModelSessionFactory"/> is registered
    /// first), the services grains depend on and replica placement.
    /// With <paramref name="hostsReplicas"/> false the replica grain class is removed, so placement
    /// never puts a replica here; every silo advertises its accelerator count in silo metadata
    /// for <see cref="ReplicaPlacementDirector"/>.
    /// </summary>
    public static ISiloBuilder AddInferenceGrains(this ISiloBuilder silo, bool hostsReplicas = true, int accelerators = 0)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        // Tensors that reach this silo over Orleans' wire go into lent arrays; the router, pipeline and replica grains claim and return them.
        TensorBuffers.LendReceived = true;
        silo.Services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton<ExecutionProviderSelector>();
        silo.Services.TryAddSingleton<IModelSessionFactory, OnnxSessionFactory>();
        silo.Services.TryAddSingleton<IArtifactStore, FileSystemArtifactStore>();
        silo.Services.AddOptions<ModelRepositoryOptions>().BindConfiguration(ModelRepositoryOptions.SectionName).ValidateDataAnnotations();
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<InferenceInstruments>();
        silo.Services.TryAddSingleton<TritonMetrics>();
        silo.Services.TryAddSingleton<Audit.IAuditLog, Audit.InMemoryAuditLog>();
        silo.Services.AddOptions<Capture.CaptureOptions>().BindConfiguration(Capture.CaptureOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton<Capture.CaptureBuffer>();
        silo.Services.TryAddSingleton<Capture.ICaptureStore, Capture.FileCaptureStore>();
        silo.Services.AddOptions<Quality.QualityOptions>().BindConfiguration(Quality.QualityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton<Quality.QualityInstruments>();
        silo.Services.TryAddSingleton<Quality.IPredictionLog, Quality.InMemoryPredictionLog>();
        silo.Services.AddHostedService<Quality.PredictionLogPruner>();
        silo.Services.AddAlertDelivery();
        silo.AddPlacementDirector<ReplicaPlacement, ReplicaPlacementDirector>();
        silo.Services.TryAddSingleton<InferenceSilos>();
        silo.Services.TryAddSingleton<Versions.VersionReplicas>();
        silo.Services.TryAddSingleton<Pipelines.PipelineLoader>();
        silo.Services.TryAddSingleton<Pipelines.PipelineInstruments>();
        silo.Services.TryAddSingleton<Memory.MemoryLedger>();
        if (hostsReplicas) silo.Services.AddHostedService<Memory.MemoryReporter>();
        silo.Services.AddOptions<Cost.CostOptions>().BindConfiguration(Cost.CostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton<Cost.UsageMeter>();
        silo.Services.TryAddSingleton<Cost.CostInstruments>();
        if (hostsReplicas) silo.Services.AddHostedService<Cost.UsageReporter>();
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloAccelerators.MetadataKey] = accelerators.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SiloAccelerators.InferenceKey] = hostsReplicas ? "true" : "false",
        });
        if (!hostsReplicas) silo.Configure<GrainTypeOptions>(o => o.Classes.Remove(typeof(ReplicaGrain)));
        return silo;
    }

    /// <summary>Keeps artifacts (cached on local disk), the audit log, captured predictions and predictions awaiting ground truth in the cluster's PostgreSQL database (cluster mode).</summary>
    public static ISiloBuilder AddPostgresArtifactStore(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.SectionName).Configure(o => o.ConnectionString = connectionString);
        silo.Services.AddSingleton<IArtifactStore, PostgresArtifactStore>();
        silo.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(connectionString));
        silo.Services.AddSingleton<Audit.IAuditLog, Audit.PostgresAuditLog>();
        silo.Services.AddSingleton<Capture.ICaptureStore, Capture.PostgresCaptureStore>();
        silo.Services.AddSingleton<Quality.PostgresPredictionLog>();
        silo.Services.AddSingleton<Quality.IPredictionLog>(services => services.GetRequiredService<Quality.PostgresPredictionLog>());
        silo.Services.AddHostedService<Quality.PredictionLogWriter>();
        return silo;
    }

    /// <summary>Registers every version of the model repository folder once the silo is up.</summary>
    public static ISiloBuilder AddModelRepository(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton<RepositoryLoadState>();
        silo.Services.AddHostedService<ModelRepositoryLoader>();
        return silo;
    }
}
