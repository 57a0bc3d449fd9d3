namespace Cluster.Audit;

/// <summary>
/// Who is acting, carried in Orleans' request context from the gateway (or client) into every grain
/// call the action makes, so grains can audit changes without each method taking an extra argument.
/// </summary>
public static class AuditActor
{
    private const string Key = "cluster.actor";

    /// <summary>The current actor; <c>system</c> when none was set (timers, reminders).</summary>
    public static string Current => RequestContext.Get(Key) as string ?? "system";

    /// <summary>Sets the actor for the calls that follow on this async flow.</summary>
    public static void Set(string actor) => RequestContext.Set(Key, actor);
}
