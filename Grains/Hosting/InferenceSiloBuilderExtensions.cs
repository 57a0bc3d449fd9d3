using Cluster.Onnx;
using Cluster.Repository;
using Cluster.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Hosting;

/// <summary>Registers what the inference grains need on a silo.</summary>
public static class InferenceSiloBuilderExtensions
{
    /// <summary>Adds ONNX Runtime session creation and the services grains depend on.</summary>
    public static ISiloBuilder AddInferenceGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton<ExecutionProviderSelector>();
        silo.Services.TryAddSingleton<OnnxSessionFactory>();
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<InferenceInstruments>();
        return silo;
    }

    /// <summary>Registers every version of the model repository folder once the silo is up.</summary>
    public static ISiloBuilder AddModelRepository(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<ModelRepositoryOptions>().BindConfiguration(ModelRepositoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton<RepositoryLoadState>();
        silo.Services.AddHostedService<ModelRepositoryLoader>();
        return silo;
    }
}
