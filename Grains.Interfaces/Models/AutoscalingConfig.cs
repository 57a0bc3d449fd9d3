namespace Cluster.Models;

/// <summary>
/// How a version's replica count follows its load (the <c>autoscaling</c> block of config.json).
/// Load is ongoing requests (queued plus running) summed over every silo's batch worker; the
/// version wants <c>ceil(load / TargetQueuePerReplica)</c> replicas within [min, max].
/// </summary>
/// <param name="MinReplicas">Fewest replicas; 0 lets an idle version scale to zero (the next request waits for a cold start).</param>
/// <param name="MaxReplicas">Most replicas.</param>
/// <param name="TargetQueuePerReplica">Ongoing requests per replica to aim for.</param>
/// <param name="UpscaleDelaySeconds">How long the load must keep asking for more replicas before they are added.</param>
/// <param name="DownscaleDelaySeconds">How long the load must keep asking for fewer replicas before any are removed.</param>
/// <param name="IdleSecondsBeforeZero">With <paramref name="MinReplicas"/> 0: how long a version must see no request before its last replica goes.</param>
/// <param name="Predictive">Also scale up ahead of recurring peaks, forecast from the load at the same time on previous days (never below what the load asks for now, never above <paramref name="MaxReplicas"/>).</param>
[GenerateSerializer, Immutable, Alias("Cluster.AutoscalingConfig")]
public sealed record AutoscalingConfig(
    int MinReplicas,
    int MaxReplicas,
    double TargetQueuePerReplica,
    double UpscaleDelaySeconds,
    double DownscaleDelaySeconds,
    double IdleSecondsBeforeZero,
    bool Predictive = false)
{
    /// <summary>Ongoing requests per replica when config.json does not say.</summary>
    public const double DefaultTargetQueuePerReplica = 4;

    /// <summary>Seconds of sustained demand before scaling up, when config.json does not say.</summary>
    public const double DefaultUpscaleDelaySeconds = 3;

    /// <summary>Seconds of sustained slack before scaling down, when config.json does not say.</summary>
    public const double DefaultDownscaleDelaySeconds = 30;

    /// <summary>Idle seconds before scaling to zero, when config.json does not say.</summary>
    public const double DefaultIdleSecondsBeforeZero = 300;

    /// <summary>Replicas a version starts with: the configured count within the bounds, at least one so that loading proves the model serves.</summary>
    public int Initial(int configured) => Math.Clamp(configured, Math.Max(1, MinReplicas), MaxReplicas);

    /// <summary>Replicas a cold start brings up.</summary>
    public int ColdStart => Math.Max(1, MinReplicas);
}
