using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Quality;

/// <summary>
/// Turns an answered request into prediction records, one per row: the argmax over the output's last dimension (with its
/// probability, when the row is a probability distribution) for classification, the row's first value for regression.
/// Outputs other than FP32 and FP64 leave no record.
/// </summary>
public static class PredictionExtractor
{
    private const double ProbabilityTolerance = 1e-3;

    /// <summary>Offers <paramref name="log"/> one record per row of the quality output in <paramref name="outputs"/>.</summary>
    public static void Record(IPredictionLog log, string model, string version, InferenceRequest request, ImmutableArray<TensorData> outputs,
        QualityConfig config, string outputName, DateTimeOffset servedAt)
    {
        if (request.Id is null || outputs.IsDefault) return;
        var output = Find(outputs, outputName);
        // Read in place, on the request path: no copy of the output is made.
        switch (output?.DataType)
        {
            case TensorDataType.FP32: RecordRows(log, model, version, request, output, MemoryMarshal.Cast<byte, float>(output.Data), config, servedAt); break;
            case TensorDataType.FP64: RecordRows(log, model, version, request, output, MemoryMarshal.Cast<byte, double>(output.Data), config, servedAt); break;
        }
    }

    private static void RecordRows<T>(IPredictionLog log, string model, string version, InferenceRequest request, TensorData output, ReadOnlySpan<T> values,
        QualityConfig config, DateTimeOffset servedAt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length == 0) return;
        var rows = output.Shape.Length == 0 ? 1 : (int)output.Shape[0];
        if (rows <= 0 || values.Length % rows != 0) return;
        var width = values.Length / rows;
        string? segment = null;
        request.Parameters?.TryGetValue(config.Segment, out segment);
        var expiresAt = servedAt.AddHours(config.RetentionHours);
        var id = request.Id!;
        for (var row = 0; row < rows; row++)
        {
            var span = values.Slice(row * width, width);
            var rowId = rows == 1 ? id : $"{id}#{row}";
            if (config.Task == QualityTask.Regression)
            {
                log.Offer(new PredictionRecord(model, rowId, version, segment, -1, float.NaN, double.CreateTruncating(span[0]), servedAt, expiresAt));
                continue;
            }
            var (predicted, top) = ArgMax(span);
            var confidence = IsDistribution(span) ? float.CreateTruncating(top) : float.NaN;
            log.Offer(new PredictionRecord(model, rowId, version, segment, predicted, confidence, double.NaN, servedAt, expiresAt));
        }
    }

    private static TensorData? Find(ImmutableArray<TensorData> outputs, string name)
    {
        foreach (var output in outputs)
        {
            if (output.Name == name) return output;
        }
        return null;
    }

    private static (int Index, T Value) ArgMax<T>(ReadOnlySpan<T> row) where T : IFloatingPointIeee754<T>
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best]) best = i;
        }
        return (best, row[best]);
    }

    private static bool IsDistribution<T>(ReadOnlySpan<T> row) where T : IFloatingPointIeee754<T>
    {
        var sum = 0.0;
        foreach (var element in row)
        {
            var value = double.CreateTruncating(element);
            if (!(value >= 0 && value <= 1)) return false;
            sum += value;
        }
        return Math.Abs(sum - 1) <= ProbabilityTolerance;
    }
}
