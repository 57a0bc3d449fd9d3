namespace Cluster.Benchmarks;

/// <summary>
/// Elementwise relative error of one provider's output against the CPU provider's. Values under 1 %
/// of the tensor's largest magnitude are compared against that 1 % instead of themselves: a
/// softmax over 6,625 characters is mostly values near 1e-9, whose own relative error says nothing
/// about the answer (a 1e-12 absolute difference there would read as 1e-3).
/// </summary>
internal static class OutputComparison
{
    public const double Limit = 1e-3;

    public static double MaxRelativeError(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        if (reference.Length != actual.Length) throw new InvalidOperationException($"Output lengths differ: {reference.Length} vs {actual.Length}.");
        var scale = 0.0;
        foreach (var v in reference) scale = Math.Max(scale, Math.Abs(v));
        var floor = Math.Max(scale * 0.01, 1e-30);
        var worst = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - reference[i]) / Math.Max(Math.Abs((double)reference[i]), floor));
        }
        return worst;
    }
}
