using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Onnx;
using Cluster.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Pipelines;

/// <summary>
/// Runs a pipeline version's template steps: one ONNX Runtime session per step, made on first use
/// for the type and rank the step then reads, on CPU, with ONNX Runtime Extensions registered only
/// for graphs that use its operators. Template graphs are tiny, so they run inline on the pipeline
/// grain: microseconds of compute cost less than a hop to a replica. Not thread-safe (one activation).
/// </summary>
internal sealed class TemplateSessions : IDisposable
{
    private readonly Dictionary<string, OnnxModelSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>The outputs of <paramref name="step"/> on <paramref name="input"/> (named <see cref="StepTemplates.Input"/>).</summary>
    /// <exception cref="InvalidInferenceRequestException">An image cannot be decoded, a request's images differ in size, or an image is smaller than its crop.</exception>
    public ImmutableArray<TensorData> Run(TemplateStep step, TensorData input)
    {
        if (step.Template == TemplateStep.DecodeImage) return [Decode(step, input)];
        if (step.Template == TemplateStep.Tokenize) return Tokenizer.Run(step, Session(step, TensorDataType.Bytes, 1), input);
        if (step.Template == TemplateStep.CenterCrop && (input.Shape[^2] < step.Height || input.Shape[^1] < step.Width))
        {
            // Slice would clamp the window and return a smaller image than the next step expects.
            throw new InvalidInferenceRequestException($"the image is {input.Shape[^2]}×{input.Shape[^1]}, smaller than the {step.Height}×{step.Width} crop");
        }
        return Session(step, input.DataType, input.Shape.Length).RunTimed([input], []).Outputs;
    }

    private TensorData Decode(TemplateStep step, TensorData input)
    {
        var session = Session(step, TensorDataType.UInt8, 1);
        var images = input.ToByteStrings();
        var pixels = new TensorData[images.Length];
        for (var i = 0; i < images.Length; i++)
        {
            if (EncodedImage.Problem(images[i]) is { } problem) throw new InvalidInferenceRequestException($"image {i} cannot be decoded: {problem}");
            try
            {
                pixels[i] = session.RunTimed([TensorData.From<byte>(StepTemplates.Input, images[i], images[i].Length)], []).Outputs[0];
            }
            catch (ModelSessionException ex)
            {
                throw new InvalidInferenceRequestException($"image {i} is not a JPEG or PNG that can be decoded ({ex.Message})");
            }
            if (!pixels[i].Shape.SequenceEqual(pixels[0].Shape))
            {
                throw new InvalidInferenceRequestException(
                    $"image {i} is {ShapeMath.Format(pixels[i].Shape.AsSpan())} but image 0 is {ShapeMath.Format(pixels[0].Shape.AsSpan())}; the images of one request must share a size");
            }
        }
        // One batch of images: [rows, height, width, 3], the rows in request order.
        long[] shape = images.Length == 0 ? [0, 0, 0, 3] : [images.Length, .. pixels[0].Shape];
        return new TensorData(StepTemplates.Normalized, TensorDataType.UInt8, [.. shape], [.. pixels.SelectMany(p => p.Data)]);
    }

    private OnnxModelSession Session(TemplateStep step, TensorDataType type, int rank)
    {
        if (_sessions.TryGetValue(step.Name, out var session)) return session;
        var graph = StepTemplates.Build(step, type, rank);
        using var options = new SessionOptions();
        if (OrtExtensions.IsUsedBy(graph)) OrtExtensions.Register(options);
        session = new OnnxModelSession(new InferenceSession(graph, options), ExecutionProviderSelector.CpuProvider);
        _sessions[step.Name] = session;
        return session;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        _sessions.Clear();
    }
}
