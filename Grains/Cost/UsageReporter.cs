using Cluster.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Cost;

/// <summary>
/// Sends this inference silo's replica usage to each version's usage grain every <see cref="CostOptions.ReportEverySeconds"/>, and once
/// more as it stops. It takes <see cref="CostInstruments"/> only so that the silo's cost metrics exist from the start.
/// </summary>
public sealed class UsageReporter(UsageMeter meter, IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time, IOptions<CostOptions> options, CostInstruments instruments) : BackgroundService
{
    /// <summary>The instruments this reporter keeps alive.</summary>
    public CostInstruments Instruments => instruments;

    private static readonly TimeSpan LastPushWait = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReportEverySeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await Push();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the replicas' last seconds go with the push below.
        }
        try
        {
            // Bounded on real time: a stop must not wait on a clock that tests may hold still, nor on a cluster already gone.
            await Push().WaitAsync(LastPushWait, TimeProvider.System);
        }
        catch (TimeoutException)
        {
            // What was not delivered is lost with the silo, as the figures of a silo that dies are.
        }
    }

    private async Task Push()
    {
        var taken = meter.Take(silo.SiloAddress.ToString());
        await Task.WhenAll(taken.Select(async version =>
        {
            try
            {
                await grains.GetGrain<IUsageGrain>(GrainKeys.Version(version.Model, version.Version)).Add(version.Buckets);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or InvalidOperationException)
            {
                // The silo may still be joining or already leaving: keep the figures for the next push.
                meter.Restore(version.Model, version.Version, version.Buckets);
            }
        }));
    }
}
