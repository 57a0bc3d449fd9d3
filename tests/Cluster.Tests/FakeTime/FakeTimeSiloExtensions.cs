using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Cluster.Tests.FakeTime;

/// <summary>Puts a silo's grains on a fake clock.</summary>
public static class FakeTimeSiloExtensions
{
    /// <summary>
    /// Registers <paramref name="clock"/> as the silo's <see cref="TimeProvider"/>, which grains,
    /// grain timers and the inference services resolve, while every keyed background area of Orleans
    /// (membership, messaging timeouts, activation collection, reminders) keeps real time: were those
    /// loops on the fake clock, one advance would run them inline over and over.
    /// </summary>
    public static ISiloBuilder UseFakeTime(this ISiloBuilder silo, FakeTimeProvider clock)
    {
        silo.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        return silo;
    }
}
