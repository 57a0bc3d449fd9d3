using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Onnx;

/// <summary>
/// Builds session options for the configured device. In <c>auto</c> mode it tries CUDA once per
/// process and remembers a failure, so a CPU-only machine logs the reason once, not per session.
/// </summary>
public sealed partial class ExecutionProviderSelector(IOptions<InferenceOptions> options, ILogger<ExecutionProviderSelector> logger)
{
    /// <summary>Name ONNX Runtime gives the CPU provider.</summary>
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>Name ONNX Runtime gives the CUDA provider.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    private readonly InferenceOptions _options = options.Value;
    private string? _cudaFailure;

    /// <summary>Device used when a model does not ask for one.</summary>
    public ExecutionDevice DefaultDevice => ExecutionDevices.Parse(_options.Device);

    /// <summary>Why CUDA is not used in auto mode, once a try failed; null otherwise.</summary>
    public string? CudaFailure => _cudaFailure;

    /// <summary>Session options for <paramref name="device"/>; the caller owns (disposes) them.</summary>
    public (SessionOptions Options, string Provider) Create(ExecutionDevice device)
    {
        var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (_options.IntraOpThreads > 0) sessionOptions.IntraOpNumThreads = _options.IntraOpThreads;
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        if (device == ExecutionDevice.Cpu || (device == ExecutionDevice.Auto && _cudaFailure is not null))
        {
            return (sessionOptions, CpuProvider);
        }
        try
        {
            sessionOptions.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
            return (sessionOptions, CudaProvider);
        }
        catch (Exception ex) when (device == ExecutionDevice.Auto)
        {
            RememberCudaFailure(ex);
            sessionOptions.Dispose();
            return Create(ExecutionDevice.Cpu);
        }
        catch (Exception ex)
        {
            sessionOptions.Dispose();
            throw new InvalidOperationException($"Device 'cuda' was asked for, but the CUDA execution provider cannot load: {ex.Message}", ex);
        }
    }

    /// <summary>Records that CUDA failed (at append or at session creation) so auto mode stops trying.</summary>
    public void RememberCudaFailure(Exception ex)
    {
        if (Interlocked.CompareExchange(ref _cudaFailure, ex.Message, null) is null)
        {
            LogCudaUnavailable(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider unavailable, sessions run on CPU: {Reason}")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);
}
