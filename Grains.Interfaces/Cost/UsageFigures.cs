namespace Cluster.Cost;

/// <summary>What a version's replicas used over some span: the sums cost and utilization are computed from.</summary>
/// <param name="ReplicaSeconds">Seconds replicas were loaded (one replica for ten seconds and two for five both count ten).</param>
/// <param name="BusySeconds">Seconds the model runtime spent computing batches.</param>
/// <param name="Requests">Requests the batches carried.</param>
/// <param name="Rows">Rows the batches carried.</param>
/// <param name="Batches">Batches run.</param>
/// <param name="MemoryByteSeconds">Bytes held by the replicas' sessions times the seconds they held them.</param>
[GenerateSerializer, Immutable, Alias("Cluster.UsageFigures")]
public sealed record UsageFigures(double ReplicaSeconds, double BusySeconds, long Requests, long Rows, long Batches, double MemoryByteSeconds)
{
    /// <summary>Nothing used.</summary>
    public static UsageFigures Empty { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Busy over loaded time, 0–1 (0 when nothing was loaded).</summary>
    public double Utilization => ReplicaSeconds <= 0 ? 0 : Math.Min(1, BusySeconds / ReplicaSeconds);

    /// <summary>The sums of both.</summary>
    public UsageFigures Add(UsageFigures other) => new(
        ReplicaSeconds + other.ReplicaSeconds,
        BusySeconds + other.BusySeconds,
        Requests + other.Requests,
        Rows + other.Rows,
        Batches + other.Batches,
        MemoryByteSeconds + other.MemoryByteSeconds);
}
