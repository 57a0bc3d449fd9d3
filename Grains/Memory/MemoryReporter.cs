using Cluster.Grains;
using Microsoft.Extensions.Hosting;

namespace Cluster.Memory;

/// <summary>Sends this inference silo's memory figures to the cluster's memory map every two seconds.</summary>
public sealed class MemoryReporter(MemoryLedger ledger, IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<IMemoryMapGrain>(0).Push(ledger.Snapshot(silo.SiloAddress.ToString()));
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or InvalidOperationException)
            {
                // The silo may still be joining or already leaving; the map forgets a silo that stops reporting.
            }
        }
    }
}
