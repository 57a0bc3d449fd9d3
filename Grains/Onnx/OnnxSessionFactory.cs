using Microsoft.ML.OnnxRuntime;

namespace Cluster.Onnx;

/// <summary>Creates ONNX Runtime sessions on the device a model asks for, falling back to CPU in auto mode.</summary>
public sealed class OnnxSessionFactory(ExecutionProviderSelector selector) : IModelSessionFactory
{
    /// <summary>Loads the model at <paramref name="path"/>; <paramref name="device"/> null uses the silo's default device.</summary>
    /// <exception cref="ModelSessionException">ONNX Runtime cannot load the file, the device is unknown or cannot be had, or the model declares what cannot be served.</exception>
    public OnnxModelSession Load(string path, string? device)
    {
        try
        {
            return Create(path, device);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new ModelSessionException(ex.Message, ex);
        }
    }

    IModelSession IModelSessionFactory.Load(string path, string? device) => Load(path, device);

    private OnnxModelSession Create(string path, string? device)
    {
        var wanted = device is null ? selector.DefaultDevice : ExecutionDevices.Parse(device);
        var (options, provider) = selector.Create(wanted);
        using (options)
        {
            if (OrtExtensions.IsUsedBy(path)) OrtExtensions.Register(options);
            try
            {
                return new OnnxModelSession(new InferenceSession(path, options), provider);
            }
            catch (OnnxRuntimeException ex) when (wanted == ExecutionDevice.Auto && provider == ExecutionProviderSelector.CudaProvider)
            {
                // Only blame CUDA when the same model loads on CPU; a corrupt file fails both ways.
                var onCpu = Create(path, "cpu");
                selector.RememberCudaFailure(ex);
                return onCpu;
            }
        }
    }
}
