using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>How ONNX Runtime's own throughput grows with batch size: the most batching can win on this machine.</summary>
internal static class BatchCurve
{
    public static readonly int[] Sizes = [1, 4, 16, 64];

    public static IEnumerable<double> Measure(BenchModel model, TimeSpan each) => Measure(model, each, Sizes, new SessionOptions());

    /// <summary>Rows per second at each of <paramref name="sizes"/>, with the session built from <paramref name="options"/>.</summary>
    public static IEnumerable<double> Measure(BenchModel model, TimeSpan each, int[] sizes, SessionOptions options)
    {
        using var session = new InferenceSession(model.Path, options);
        // Kept in a local for the whole loop: a RunOptions made inline can be finalized while ONNX Runtime still reads it.
        using var runOptions = new RunOptions();
        foreach (var size in sizes)
        {
            var values = Enumerable.Range(0, size).SelectMany(i => model.Samples[i % model.Samples.Length]).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(values, [size, .. model.Shape[1..]]);
            var outputs = session.OutputNames.ToArray();
            for (var i = 0; i < 5; i++) session.Run(runOptions, [model.Input], [input], outputs).Dispose();
            long rows = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < each)
            {
                using var results = session.Run(runOptions, [model.Input], [input], outputs);
                rows += size;
            }
            yield return rows / clock.Elapsed.TotalSeconds;
        }
    }
}
