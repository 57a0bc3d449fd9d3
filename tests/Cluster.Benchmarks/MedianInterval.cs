namespace Cluster.Benchmarks;

/// <summary>
/// How far a median of per-round ratios can be trusted: a 95 % percentile-bootstrap interval (the rounds resampled with
/// replacement, seeded, so a run's report is reproducible from its rounds). On this host one round's ratio of two identical
/// arms ranges 0.7-1.4, so a target a few percent from 1 is shown only when the whole interval clears it.
/// </summary>
internal static class MedianInterval
{
    private const int Resamples = 4000;
    private const int Seed = 95;

    /// <summary>The 2.5th and 97.5th percentiles of the medians of <see cref="Resamples"/> resamples of <paramref name="ratios"/>.</summary>
    public static (double Low, double High) Of(IReadOnlyList<double> ratios)
    {
        var random = new Random(Seed);
        var sample = new double[ratios.Count];
        var medians = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++) sample[i] = ratios[random.Next(ratios.Count)];
            medians[r] = Report.Median(sample);
        }
        Array.Sort(medians);
        return (medians[(int)(Resamples * 0.025)], medians[(int)(Resamples * 0.975) - 1]);
    }

    /// <summary>Whether the interval shows a ratio of at least <paramref name="target"/>: met, missed, or not shown either way.</summary>
    public static string Verdict((double Low, double High) interval, double target) =>
        interval.Low >= target ? "met" : interval.High < target ? "missed" : "not shown either way by this run";
}
