using System.Collections.Immutable;
using Cluster.Artifacts;
using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Pipelines;

/// <summary>
/// "Loads" a pipeline version: reads its definition, resolves each model step to a ready version of
/// a model in the cluster and validates the wiring against those models' signatures. The result is
/// the version ready with the pipeline's own signature, or failed with the first problem as reason.
/// </summary>
public sealed class PipelineLoader(IArtifactStore artifacts)
{
    /// <summary>What <see cref="ModelVersionInfo.ExecutionProvider"/> says for a pipeline version.</summary>
    public const string ExecutionProvider = "pipeline";

    /// <summary>File name of a version's pipeline definition in the repository.</summary>
    public const string FileName = "pipeline.json";

    /// <summary>Validates the pipeline of <paramref name="loading"/> against the models of the cluster now.</summary>
    public async Task<ModelVersionInfo> Load(IGrainFactory grains, string pipeline, ModelVersionInfo loading)
    {
        var ready = loading with { Replicas = 0, ReplicaSilos = [], ExecutionProvider = ExecutionProvider };
        try
        {
            var definition = await Read(loading.Registration);
            var signatures = await ResolveSteps(grains, pipeline, definition);
            return ready with { Status = VersionStatus.Ready, Reason = null, Signature = PipelineValidator.Validate(definition, signatures) };
        }
        catch (InvalidDataException ex)
        {
            return ready with { Status = VersionStatus.Failed, Reason = ex.Message, Signature = null };
        }
    }

    /// <summary>The definition stored for <paramref name="registration"/>.</summary>
    public async Task<PipelineDefinition> Read(VersionRegistration registration)
    {
        var path = await artifacts.GetLocalPathAsync(registration);
        return PipelineJson.Parse(await File.ReadAllBytesAsync(path));
    }

    /// <summary>True when uploaded bytes are a pipeline definition (a JSON object) rather than an ONNX file (a protobuf message).</summary>
    public static bool IsDefinition(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        bytes = bytes.TrimStart(" \t\r\n"u8);
        return bytes.Length > 0 && bytes[0] == (byte)'{';
    }

    private static async Task<IReadOnlyDictionary<string, ModelSignature>> ResolveSteps(IGrainFactory grains, string pipeline, PipelineDefinition definition)
    {
        var steps = definition.Steps.OfType<ModelStep>().ToArray();
        var infos = await Task.WhenAll(steps.Select(s => grains.GetGrain<IModelGrain>(s.Model).GetInfo()));
        var signatures = ImmutableDictionary.CreateBuilder<string, ModelSignature>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Length; i++)
        {
            var (step, info) = (steps[i], infos[i]);
            var where = $"pipeline: step '{step.Name}'";
            if (step.Model == pipeline) throw new InvalidDataException($"{where} calls the pipeline itself.");
            if (!info.Exists) throw new InvalidDataException($"{where} calls unknown model '{step.Model}'.");
            var entry = info.Resolve(step.Version)
                ?? throw new InvalidDataException(step.Version is null
                    ? $"{where}: model '{step.Model}' has no ready default version."
                    : $"{where}: model '{step.Model}' has no version or label '{step.Version}'.");
            if (entry.Status != VersionStatus.Ready || entry.Signature is null)
            {
                throw new InvalidDataException($"{where}: model '{step.Model}' version {entry.Version} is not ready ({entry.Status.ToString().ToLowerInvariant()}{(entry.Reason is null ? "" : ": " + entry.Reason)}).");
            }
            signatures[step.Name] = entry.Signature;
        }
        return signatures.ToImmutable();
    }
}
