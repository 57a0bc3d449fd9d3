using System.Reflection;
using Orleans.Dashboard;

namespace Cluster.Silo.Observability;

internal static class DashboardRegistration
{
    /// <summary>
    /// The Orleans dashboard, its grain-call filter wrapped in <see cref="DashboardCallProfiler"/>. Orleans 10.4.2 keeps the
    /// dashboard's profiler internal, so its <c>IsEnabled</c> is read through a delegate bound once here; the dashboard's
    /// version is pinned, and a release that changes either fails the silo's start (and the tests), not silently.
    /// </summary>
    public static ISiloBuilder AddClusterDashboard(this ISiloBuilder orleans)
    {
        orleans.AddDashboard(o => o.HideTrace = true);
        var dashboardAssembly = typeof(DashboardOptions).Assembly;
        var theirs = orleans.Services.Where(d => d.ServiceType == typeof(IIncomingGrainCallFilter) && d.ImplementationType?.Assembly == dashboardAssembly).ToList();
        if (theirs is not [{ ImplementationType: { } filterType } descriptor])
            throw new InvalidOperationException($"Expected the Orleans dashboard to register one grain call filter, found {theirs.Count}.");
        var profilerType = dashboardAssembly.GetType("Orleans.Dashboard.Metrics.IGrainProfiler", throwOnError: true)!;
        orleans.Services.Remove(descriptor);
        orleans.Services.AddSingleton<IIncomingGrainCallFilter>(services =>
        {
            var filter = (IIncomingGrainCallFilter)ActivatorUtilities.CreateInstance(services, filterType);
            var profiler = services.GetRequiredService(profilerType);
            var isEnabled = profiler.GetType().GetProperty("IsEnabled", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetMethod
                ?? throw new InvalidOperationException($"The Orleans dashboard's {profiler.GetType()} has no IsEnabled.");
            return new DashboardCallProfiler(filter, isEnabled.CreateDelegate<Func<bool>>(profiler));
        });
        return orleans;
    }
}
