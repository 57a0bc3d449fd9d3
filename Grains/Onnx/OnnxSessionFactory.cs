using Microsoft.ML.OnnxRuntime;

namespace Cluster.Onnx;

/// <summary>Creates sessions on the device a model asks for, falling back to CPU in auto mode.</summary>
public sealed class OnnxSessionFactory(ExecutionProviderSelector selector)
{
    /// <summary>Loads the model at <paramref name="path"/>; <paramref name="device"/> null uses the silo's default device.</summary>
    public OnnxModelSession Load(string path, string? device)
    {
        var wanted = device is null ? selector.DefaultDevice : ExecutionDevices.Parse(device);
        var (options, provider) = selector.Create(wanted);
        using (options)
        {
            try
            {
                return new OnnxModelSession(new InferenceSession(path, options), provider);
            }
            catch (OnnxRuntimeException ex) when (wanted == ExecutionDevice.Auto && provider == ExecutionProviderSelector.CudaProvider)
            {
                // Only blame CUDA when the same model loads on CPU; a corrupt file fails both ways.
                var onCpu = Load(path, "cpu");
                selector.RememberCudaFailure(ex);
                return onCpu;
            }
        }
    }
}
