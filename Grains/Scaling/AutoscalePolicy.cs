using Cluster.Models;

namespace Cluster.Scaling;

/// <summary>
/// The autoscaling rule, as a pure function of settings, the previous state and the latest load.
/// A change happens only when the load asked for it for the whole delay: a crossing back resets
/// the clock, so load that oscillates faster than the delays moves nothing. Scaling up goes to the
/// least the window asked for, scaling down to the most, so neither overshoots a passing spike or
/// lull. An idle version with a minimum of zero goes to zero after its idle time; a version at zero
/// with load comes back at once (a request is waiting).
/// </summary>
public static class AutoscalePolicy
{
    /// <summary>Replicas the load asks for within the bounds (at least one; zero is decided by idleness alone).</summary>
    public static int Desired(AutoscalingConfig settings, double load)
    {
        var wanted = (int)Math.Ceiling(Math.Max(0, load) / settings.TargetQueuePerReplica - 1e-9);
        return Math.Clamp(wanted, Math.Max(1, settings.MinReplicas), settings.MaxReplicas);
    }

    /// <summary>The next state, and the new replica count with its reason when it changes.</summary>
    public static (AutoscalerState State, int? Replicas, string? Reason) Next(AutoscalingConfig settings, AutoscalerState state, double load, DateTimeOffset now)
    {
        var desired = Desired(settings, load);
        var idleSince = load > 0 ? (DateTimeOffset?)null : state.IdleSince ?? now;
        var current = state.Replicas;

        if (current == 0)
        {
            var fresh = new AutoscalerState(0, null, null, 0, 0, idleSince);
            return load > 0 ? (fresh with { Replicas = desired }, desired, $"load {load:F1} at zero replicas (cold start)") : (fresh, null, null);
        }
        if (settings.MinReplicas == 0 && idleSince is { } idle && (now - idle).TotalSeconds >= settings.IdleSecondsBeforeZero)
        {
            return (new AutoscalerState(0, null, null, 0, 0, idleSince), 0, $"idle for {(now - idle).TotalSeconds:F0} s");
        }
        if (current < settings.MinReplicas || current > settings.MaxReplicas)
        {
            var bounded = Math.Clamp(current, Math.Max(1, settings.MinReplicas), settings.MaxReplicas);
            return (new AutoscalerState(bounded, null, null, 0, 0, idleSince), bounded, $"outside min_replicas {settings.MinReplicas} .. max_replicas {settings.MaxReplicas}");
        }
        if (desired > current)
        {
            var since = state.UpSince ?? now;
            var target = state.UpSince is null ? desired : Math.Min(state.UpTarget, desired);
            if ((now - since).TotalSeconds >= settings.UpscaleDelaySeconds)
            {
                return (new AutoscalerState(target, null, null, 0, 0, idleSince), target, $"load {load:F1} asked for {target}+ replicas for {(now - since).TotalSeconds:F0} s");
            }
            return (new AutoscalerState(current, since, null, target, 0, idleSince), null, null);
        }
        if (desired < current)
        {
            var since = state.DownSince ?? now;
            var target = state.DownSince is null ? desired : Math.Max(state.DownTarget, desired);
            if ((now - since).TotalSeconds >= settings.DownscaleDelaySeconds)
            {
                return (new AutoscalerState(target, null, null, 0, 0, idleSince), target, $"load {load:F1} needed at most {target} replicas for {(now - since).TotalSeconds:F0} s");
            }
            return (new AutoscalerState(current, null, since, 0, target, idleSince), null, null);
        }
        return (new AutoscalerState(current, null, null, 0, 0, idleSince), null, null);
    }
}
