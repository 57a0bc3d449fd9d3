using Cluster.Errors;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// Splits tensors by rows (dimension 0) and merges them back, for a switch step that routes each
/// row of a batched request down its own branch.
/// </summary>
public static class RowSlicer
{
    /// <summary>The rows <paramref name="rows"/> of <paramref name="tensor"/>, in that order; it must hold <paramref name="expected"/> rows.</summary>
    /// <exception cref="InvalidInferenceRequestException">The tensor does not have that many rows, so its rows cannot be matched to the switch's.</exception>
    public static TensorData Take(TensorData tensor, int[] rows, long expected, string what)
    {
        if (tensor.Shape.Length == 0 || tensor.Shape[0] != expected)
        {
            throw new InvalidInferenceRequestException($"{what} is shaped {ShapeMath.Format(tensor.Shape.AsSpan())}, not {expected} rows, so its rows cannot be routed one by one");
        }
        long[] shape = [rows.Length, .. tensor.Shape[1..]];
        if (tensor.DataType == TensorDataType.Bytes)
        {
            var elements = BytesTensor.Decode(tensor.Data);
            var perRow = elements.Length / (int)expected;
            return new TensorData(tensor.Name, tensor.DataType, [.. shape], BytesTensor.Encode([.. rows.SelectMany(r => elements.Skip(r * perRow).Take(perRow))]));
        }
        var rowBytes = tensor.Data.Length / (int)expected;
        var data = new byte[rows.Length * rowBytes];
        for (var i = 0; i < rows.Length; i++) Buffer.BlockCopy(tensor.Data, rows[i] * rowBytes, data, i * rowBytes, rowBytes);
        return new TensorData(tensor.Name, tensor.DataType, [.. shape], data);
    }

    /// <summary>One tensor whose row <c>thenRows[i]</c> is row i of <paramref name="then"/> and row <c>elseRows[i]</c> row i of <paramref name="otherwise"/>.</summary>
    /// <exception cref="InferenceFailedException">The branches' tensors differ in datatype or in a dimension after the first.</exception>
    public static TensorData Merge(TensorData then, int[] thenRows, TensorData otherwise, int[] elseRows, string what)
    {
        if (then.DataType != otherwise.DataType || !then.Shape[1..].SequenceEqual(otherwise.Shape[1..]) || then.Shape[0] != thenRows.Length || otherwise.Shape[0] != elseRows.Length)
        {
            throw new InferenceFailedException($"{what}: the branches answered {then.DataType.ProtocolName()} {ShapeMath.Format(then.Shape.AsSpan())} and {otherwise.DataType.ProtocolName()} {ShapeMath.Format(otherwise.Shape.AsSpan())}, which cannot be merged row by row");
        }
        var total = thenRows.Length + elseRows.Length;
        long[] shape = [total, .. then.Shape[1..]];
        var sources = new (TensorData Tensor, int Row)[total];
        for (var i = 0; i < thenRows.Length; i++) sources[thenRows[i]] = (then, i);
        for (var i = 0; i < elseRows.Length; i++) sources[elseRows[i]] = (otherwise, i);
        if (then.DataType == TensorDataType.Bytes)
        {
            var (a, b) = (BytesTensor.Decode(then.Data), BytesTensor.Decode(otherwise.Data));
            var perRow = (a.Length + b.Length) / total;
            return new TensorData(then.Name, then.DataType, [.. shape],
                BytesTensor.Encode([.. sources.SelectMany(s => (s.Tensor == then ? a : b).Skip(s.Row * perRow).Take(perRow))]));
        }
        var rowBytes = (then.Data.Length + otherwise.Data.Length) / total;
        var data = new byte[total * rowBytes];
        for (var i = 0; i < total; i++) Buffer.BlockCopy(sources[i].Tensor.Data, sources[i].Row * rowBytes, data, i * rowBytes, rowBytes);
        return new TensorData(then.Name, then.DataType, [.. shape], data);
    }
}
