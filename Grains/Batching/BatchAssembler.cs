using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Batching;

/// <summary>
/// Joins requests into one <see cref="ReplicaBatch"/> along dimension 0 and splits the outputs
/// back, by copying raw bytes only. A single request passes through without a copy. BYTES rows
/// vary in length, so their outputs are split by walking the length prefixes.
/// </summary>
public static class BatchAssembler
{
    /// <summary>Concatenates requests that share input names, datatypes and trailing dimensions.</summary>
    public static ReplicaBatch Join(IReadOnlyList<InferenceRequest> requests)
    {
        if (requests.Count == 0) throw new ArgumentException("A batch needs at least one request.", nameof(requests));
        var first = requests[0];
        var rowCounts = requests.Select(r => checked((int)Rows(r))).ToImmutableArray();
        if (requests.Count == 1) return new ReplicaBatch(first.Inputs, rowCounts, first.RequestedOutputs);

        var inputs = ImmutableArray.CreateBuilder<TensorData>(first.Inputs.Length);
        foreach (var template in first.Inputs)
        {
            var parts = requests.Select(r => FindInput(r, template.Name)).ToArray();
            inputs.Add(Concatenate(template, parts));
        }
        return new ReplicaBatch(inputs.MoveToImmutable(), rowCounts, first.RequestedOutputs);
    }

    /// <summary>
    /// Returns the arrays <see cref="Join"/> made for <paramref name="batch"/> once its run has answered; a batch of one
    /// request carries that request's own inputs, which belong to whoever sent it.
    /// </summary>
    public static void Release(ReplicaBatch batch)
    {
        if (batch.RowCounts.Length > 1) TensorBuffers.Return(batch.Inputs);
    }

    /// <summary>Splits batch outputs back per request, in the order of <paramref name="rowCounts"/>.</summary>
    public static ImmutableArray<ImmutableArray<TensorData>> Split(ImmutableArray<TensorData> outputs, ImmutableArray<int> rowCounts)
    {
        if (rowCounts.Length == 1) return [outputs];
        var total = rowCounts.Sum();
        var perRequest = new ImmutableArray<TensorData>.Builder[rowCounts.Length];
        for (var i = 0; i < perRequest.Length; i++) perRequest[i] = ImmutableArray.CreateBuilder<TensorData>(outputs.Length);
        foreach (var output in outputs)
        {
            if (output.Shape.Length == 0 || output.Shape[0] != total)
            {
                throw new InvalidOperationException($"Output '{output.Name}' has shape {ShapeMath.Format(output.Shape.AsSpan())}, which does not keep the batch's {total} rows; the model cannot be batched.");
            }
            var rowBytes = output.Data.Length / total;
            var rowElements = output.ElementCount / total;
            var offset = 0;
            for (var i = 0; i < rowCounts.Length; i++)
            {
                var end = output.DataType == TensorDataType.Bytes
                    ? BytesTensor.Skip(output.Data, offset, rowElements * rowCounts[i])
                    : offset + rowBytes * rowCounts[i];
                var shape = output.Shape.SetItem(0, rowCounts[i]);
                perRequest[i].Add(output with { Shape = shape, Data = output.Data.AsSpan(offset, end - offset).ToArray() });
                offset = end;
            }
        }
        return [.. perRequest.Select(b => b.MoveToImmutable())];
    }

    /// <summary>Rows a request contributes: dimension 0 of its first input (1 for a scalar input).</summary>
    public static long Rows(InferenceRequest request) =>
        request.Inputs[0].Shape.Length == 0 ? 1 : request.Inputs[0].Shape[0];

    private static TensorData FindInput(InferenceRequest request, string name)
    {
        foreach (var input in request.Inputs)
        {
            if (input.Name == name) return input;
        }
        throw new ArgumentException($"A batched request lacks input '{name}'.");
    }

    private static TensorData Concatenate(TensorData template, TensorData[] parts)
    {
        // Every byte is copied in below; the batch worker returns the array once the batch has run (Release).
        var data = TensorBuffers.Rent(checked((int)parts.Sum(p => (long)p.Data.Length)));
        long rows = 0;
        var offset = 0;
        foreach (var part in parts)
        {
            if (part.DataType != template.DataType || !part.Shape.AsSpan()[1..].SequenceEqual(template.Shape.AsSpan()[1..]))
            {
                throw new ArgumentException($"Input '{template.Name}' differs in datatype or trailing shape between batched requests.");
            }
            part.Data.CopyTo(data, offset);
            offset += part.Data.Length;
            rows += part.Shape[0];
        }
        return template with { Shape = template.Shape.SetItem(0, rows), Data = data };
    }
}
