using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Uploads ONNX bytes as a new version; it is loaded (and warmed up) before this returns. A file
    /// ONNX Runtime cannot load throws <see cref="Errors.InvalidInferenceRequestException"/> with the reason, and nothing is registered.
    /// </summary>
    /// <param name="model">Model name.</param>
    /// <param name="version">Version number.</param>
    /// <param name="onnx">The model file's bytes.</param>
    /// <param name="label">A label to point at the new version, e.g. <c>canary</c>.</param>
    /// <param name="config">Serving settings (in-cluster only; through the gateway the model's config applies, see <c>PUT /api/models/{m}/config</c>).</param>
    public Task<ModelVersionInfo> UploadVersionAsync(string model, string version, byte[] onnx, string? label = null, ModelConfig? config = null)
    {
        if (_gateway is not null)
        {
            return config is null
                ? _gateway.Upload(model, version, onnx, label)
                : throw new NotSupportedException("A per-version config on upload is not offered through the HTTP gateway yet; upload without one, then set the model's with SetConfigAsync.");
        }
        return Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Upload(onnx, config, label);
    }

    /// <summary>Loads an unloaded or failed version again; one that fails to load comes back with status failed and the reason.</summary>
    public Task<ModelVersionInfo> LoadVersionAsync(string model, string version) =>
        _gateway?.Load(model, version) ?? Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Load();

    /// <summary>Stops serving a version (after a short drain) and frees its sessions.</summary>
    public Task<ModelVersionInfo> UnloadVersionAsync(string model, string version) =>
        _gateway?.Unload(model, version) ?? Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Unload();

    /// <summary>Deletes a version; refused (<see cref="Errors.ConflictException"/>) while it serves traffic unless <paramref name="force"/>.</summary>
    public Task DeleteVersionAsync(string model, string version, bool force = false) =>
        _gateway?.Delete(model, version, force) ?? Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Delete(force);

    /// <summary>Points a label (e.g. <c>stable</c>, <c>canary</c>) at a version; usable wherever a version is.</summary>
    public Task<ModelInfo> SetLabelAsync(string model, string label, string version) =>
        _gateway?.SetLabel(model, label, version) ?? Acting<IModelGrain>(model).SetLabel(label, version);

    /// <summary>Replaces the serving settings of every version of a model and reloads the loaded ones.</summary>
    public Task<ModelInfo> SetConfigAsync(string model, ModelConfig config)
    {
        if (_gateway is not null) return _gateway.SetConfig(model, config);
        var cluster = Cluster();
        Audit.AuditActor.Set(Actor);
        return cluster.SetConfigAndReload(model, config);
    }

    /// <summary>
    /// Changes how many replicas of a ready version serve, without a reload (0 scales it to zero;
    /// its next request waits for a cold start). With autoscaling on, the autoscaler may change it again.
    /// </summary>
    public Task<ModelVersionInfo> ScaleVersionAsync(string model, string version, int replicas) =>
        _gateway?.Scale(model, version, replicas) ?? Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Scale(replicas, "set by a .NET client");

    /// <summary>A version's autoscaler: replicas, the load it sees, its recent decisions and cold starts.</summary>
    public Task<Scaling.AutoscalerStatus> GetAutoscalerAsync(string model, string version) =>
        _gateway?.GetAutoscaler(model, version) ?? Cluster().GetGrain<IAutoscalerGrain>(GrainKeys.Version(model, version)).GetStatus();
}
