namespace Cluster.Cli.Loadtest;

/// <summary>
/// Every latency of one load level, kept whole (a few hundred thousand doubles at most for a CLI run)
/// so percentiles are exact rather than bucketed; thread-safe, read once the level ends.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];
    private long _failures;
    private string? _firstError;

    public long Successes { get { lock (_milliseconds) return _milliseconds.Count; } }

    public long Failures => Interlocked.Read(ref _failures);

    public string? FirstError => Volatile.Read(ref _firstError);

    public void Success(double milliseconds)
    {
        lock (_milliseconds) _milliseconds.Add(milliseconds);
    }

    public void Failure(string error)
    {
        Interlocked.Increment(ref _failures);
        Interlocked.CompareExchange(ref _firstError, error, null);
    }

    /// <summary>Nearest-rank percentile of the successful requests, 0 when there were none.</summary>
    public Func<double, double> Percentiles()
    {
        double[] sorted;
        lock (_milliseconds) sorted = [.. _milliseconds];
        Array.Sort(sorted);
        return q => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
