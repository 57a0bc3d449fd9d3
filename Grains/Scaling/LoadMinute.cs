namespace Cluster.Scaling;

/// <summary>A version's load over one calendar minute, as its autoscaler sampled it (once a second).</summary>
/// <param name="Minute">Minutes since the Unix epoch (UTC).</param>
/// <param name="Sum">Sum of the samples: ongoing requests over the cluster.</param>
/// <param name="Samples">Samples taken.</param>
[GenerateSerializer, Immutable, Alias("Cluster.LoadMinute")]
public sealed record LoadMinute(long Minute, double Sum, int Samples)
{
    /// <summary>Mean load of the minute.</summary>
    public double Mean => Samples == 0 ? 0 : Sum / Samples;
}
