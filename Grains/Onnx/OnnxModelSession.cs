using System.Collections.Immutable;
using System.Diagnostics;
using Cluster.Models;
using Cluster.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Onnx;

/// <summary>
/// One loaded ONNX Runtime session. Inputs are handed to ONNX Runtime as pinned views of the
/// request bytes (no copy); outputs are copied once into the bytes that leave the replica.
/// String tensors cannot be viewed in place (ONNX Runtime keeps its own strings), so BYTES
/// elements are copied in one by one and read back into the length-prefixed layout. ONNX
/// Runtime's errors leave it as <see cref="ModelSessionException"/>.
/// </summary>
public sealed class OnnxModelSession : IModelSession
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    internal OnnxModelSession(InferenceSession session, string executionProvider)
    {
        _session = session;
        ExecutionProvider = executionProvider;
        Signature = OnnxSignatureReader.Read(session);
    }

    /// <summary>Inputs and outputs as the model declares them.</summary>
    public ModelSignature Signature { get; }

    /// <summary>Execution provider the session runs on.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Runs the session; <paramref name="outputs"/> empty means every output, in model order.</summary>
    /// <exception cref="ModelSessionException">ONNX Runtime failed on the inputs, or an output cannot be served.</exception>
    public ImmutableArray<TensorData> Run(ImmutableArray<TensorData> inputs, ImmutableArray<string> outputs)
    {
        try
        {
            return RunSession(inputs, outputs);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or NotSupportedException or InvalidOperationException)
        {
            throw new ModelSessionException(ex.Message, ex);
        }
    }

    private ImmutableArray<TensorData> RunSession(ImmutableArray<TensorData> inputs, ImmutableArray<string> outputs)
    {
        var outputNames = outputs.IsDefaultOrEmpty ? [.. _session.OutputNames] : outputs.ToArray();
        var inputNames = new string[inputs.Length];
        var inputValues = new OrtValue[inputs.Length];
        var pins = new System.Buffers.MemoryHandle[inputs.Length];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                inputNames[i] = inputs[i].Name;
                inputValues[i] = inputs[i].DataType == TensorDataType.Bytes ? CreateStringValue(inputs[i]) : CreatePinnedValue(inputs[i], out pins[i]);
            }
            using var results = _session.Run(_runOptions, inputNames, inputValues, outputNames);
            var builder = ImmutableArray.CreateBuilder<TensorData>(outputNames.Length);
            var index = 0;
            foreach (var value in results)
            {
                builder.Add(ReadValue(outputNames[index++], value));
            }
            return builder.MoveToImmutable();
        }
        finally
        {
            foreach (var value in inputValues) value?.Dispose();
            foreach (var pin in pins) pin.Dispose();
        }
    }

    /// <summary>
    /// Runs one batch of zeros shaped as the inputs declare (dynamic dimensions as 1), so the first
    /// real request does not pay for lazy allocations and kernel selection. Models with string
    /// inputs are not warmed up: no string is a safe guess (an empty one may fail a tokenizer),
    /// and a failed warm-up would fail the load.
    /// </summary>
    public void WarmUp()
    {
        if (Signature.Inputs.Any(i => i.DataType == TensorDataType.Bytes)) return;
        var inputs = Signature.Inputs.Select(spec =>
        {
            var shape = spec.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            return new TensorData(spec.Name, spec.DataType, [.. shape], new byte[ShapeMath.ElementCount(shape) * spec.DataType.ElementSize()]);
        }).ToImmutableArray();
        Run(inputs, []);
    }

    /// <summary>Runs and also measures the time spent in ONNX Runtime.</summary>
    public (ImmutableArray<TensorData> Outputs, TimeSpan Elapsed) RunTimed(ImmutableArray<TensorData> inputs, ImmutableArray<string> outputs)
    {
        var start = Stopwatch.GetTimestamp();
        var result = Run(inputs, outputs);
        return (result, Stopwatch.GetElapsedTime(start));
    }

    private static unsafe OrtValue CreatePinnedValue(TensorData tensor, out System.Buffers.MemoryHandle pin)
    {
        pin = tensor.Data.AsMemory().Pin();
        return OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance,
            OnnxTypes.ToElementType(tensor.DataType),
            tensor.Shape.ToArray(),
            (IntPtr)pin.Pointer,
            tensor.Data.Length);
    }

    private static OrtValue CreateStringValue(TensorData tensor)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape.ToArray());
        try
        {
            var index = 0;
            foreach (var element in BytesTensor.Elements(tensor.Data)) value.StringTensorSetElementAt(element, index++);
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    private static byte[] ReadStrings(OrtValue value, long count)
    {
        long size = 0;
        for (var i = 0; i < count; i++) size += BytesTensor.PrefixSize + value.GetStringElementAsSpan(i).Length;
        var data = new byte[size];
        var offset = 0;
        for (var i = 0; i < count; i++) offset += BytesTensor.Write(data.AsSpan(offset), value.GetStringElementAsSpan(i));
        return data;
    }

    private static TensorData ReadValue(string name, OrtValue value)
    {
        if (!value.IsTensor) throw new NotSupportedException($"Output '{name}' is not a tensor; only tensor outputs are served.");
        var info = value.GetTensorTypeAndShape();
        var dataType = OnnxTypes.ToDataType(info.ElementDataType)
            ?? throw new NotSupportedException($"Output '{name}' has element type {info.ElementDataType}, which is not served.");
        var bytes = dataType == TensorDataType.Bytes ? ReadStrings(value, info.ElementCount) : value.GetTensorMutableRawData().ToArray();
        return new TensorData(name, dataType, [.. info.Shape], bytes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
