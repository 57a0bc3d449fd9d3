using System.Runtime.InteropServices;
using Cluster.Errors;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>The arithmetic of combine steps, on the tensors the steps before them returned.</summary>
public static class TensorCombiner
{
    /// <summary>Merges <paramref name="sources"/> as <paramref name="step"/> says; the result is named <see cref="CombineStep.OutputName"/>.</summary>
    public static TensorData Combine(CombineStep step, IReadOnlyList<TensorData> sources) => step.Method switch
    {
        CombineMethod.Average => Average(step, sources, [.. sources.Select(_ => 1.0)]),
        CombineMethod.WeightedAverage => Average(step, sources, [.. step.Weights]),
        CombineMethod.Vote => Vote(step, sources),
        _ => Concat(step, sources),
    };

    private static TensorData Average(CombineStep step, IReadOnlyList<TensorData> sources, double[] weights)
    {
        SameShapes(step, sources);
        var total = weights.Sum();
        var sum = new double[sources[0].ElementCount];
        for (var s = 0; s < sources.Count; s++)
        {
            var values = Doubles(sources[s]);
            for (var i = 0; i < sum.Length; i++) sum[i] += values[i] * weights[s];
        }
        for (var i = 0; i < sum.Length; i++) sum[i] /= total;
        var shape = sources[0].Shape.ToArray();
        return sources[0].DataType == TensorDataType.FP64
            ? TensorData.From<double>(CombineStep.OutputName, sum, shape)
            : TensorData.From<float>(CombineStep.OutputName, [.. sum.Select(v => (float)v)], shape);
    }

    private static TensorData Vote(CombineStep step, IReadOnlyList<TensorData> sources)
    {
        SameShapes(step, sources);
        var (rows, classes) = (sources[0].Shape[0], sources[0].Shape[1]);
        var winners = new long[rows];
        var ballots = new int[classes];
        for (var r = 0; r < rows; r++)
        {
            Array.Clear(ballots);
            foreach (var source in sources) ballots[TensorMath.ArgMax(Doubles(source).AsSpan((int)(r * classes), (int)classes))]++;
            winners[r] = TensorMath.ArgMax<int>(ballots);
        }
        return TensorData.From<long>(CombineStep.OutputName, winners, rows);
    }

    private static TensorData Concat(CombineStep step, IReadOnlyList<TensorData> sources)
    {
        var first = sources[0];
        var rank = first.Shape.Length;
        var axis = step.Axis < 0 ? step.Axis + rank : step.Axis;
        foreach (var source in sources)
        {
            for (var d = 0; d < rank; d++)
            {
                if (d != axis && source.Shape[d] != first.Shape[d]) throw Mismatch(step, sources);
            }
        }
        // Row-major: the tensor is `outer` blocks, each holding a slice of every source in turn.
        var outer = first.Shape.Take(axis).Aggregate(1L, (a, b) => a * b);
        var element = first.DataType.ElementSize();
        var shape = first.Shape.ToArray();
        shape[axis] = sources.Sum(s => s.Shape[axis]);
        var data = new byte[sources.Sum(s => s.Data.Length)];
        var at = 0;
        for (var o = 0; o < outer; o++)
        {
            foreach (var source in sources)
            {
                var slice = (int)(source.ElementCount / outer * element);
                Buffer.BlockCopy(source.Data, (int)(o * slice), data, at, slice);
                at += slice;
            }
        }
        return new TensorData(CombineStep.OutputName, first.DataType, [.. shape], data);
    }

    private static void SameShapes(CombineStep step, IReadOnlyList<TensorData> sources)
    {
        foreach (var source in sources)
        {
            if (source.DataType != sources[0].DataType || !source.Shape.SequenceEqual(sources[0].Shape)) throw Mismatch(step, sources);
        }
    }

    // Shapes with -1 pass validation at load, so two models can still disagree on a request's real shapes.
    private static InferenceFailedException Mismatch(CombineStep step, IReadOnlyList<TensorData> sources) =>
        new($"Step '{step.Name}' cannot combine tensors shaped {string.Join(", ", sources.Select((s, i) => $"{step.From[i]} {ShapeMath.Format(s.Shape.AsSpan())}"))}.");

    internal static double[] Doubles(TensorData tensor) => tensor.DataType == TensorDataType.FP64
        ? MemoryMarshal.Cast<byte, double>(tensor.Data).ToArray()
        : [.. MemoryMarshal.Cast<byte, float>(tensor.Data).ToArray().Select(v => (double)v)];
}
