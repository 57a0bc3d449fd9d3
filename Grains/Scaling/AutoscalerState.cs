namespace Cluster.Scaling;

/// <summary>What the autoscale rule remembers between ticks.</summary>
/// <param name="Replicas">Replicas serving.</param>
/// <param name="UpSince">Since when the load has asked for more replicas, without a break.</param>
/// <param name="DownSince">Since when the load has asked for fewer replicas, without a break.</param>
/// <param name="UpTarget">The fewest replicas the load asked for since <paramref name="UpSince"/>.</param>
/// <param name="DownTarget">The most replicas the load asked for since <paramref name="DownSince"/>.</param>
/// <param name="IdleSince">Since when no request has been ongoing.</param>
public sealed record AutoscalerState(int Replicas, DateTimeOffset? UpSince, DateTimeOffset? DownSince, int UpTarget, int DownTarget, DateTimeOffset? IdleSince)
{
    /// <summary>A fresh state for a version serving <paramref name="replicas"/>.</summary>
    public static AutoscalerState At(int replicas) => new(replicas, null, null, 0, 0, null);
}
