using Cluster.Grains;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;

namespace Cluster.Silo.Management;

/// <summary><c>GET /api/memory</c>: each inference silo's memory budget, use, evictions and loaded replicas.</summary>
internal static class MemoryEndpoints
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/api/memory", async (HttpContext http, IGrainFactory grains) =>
        {
            var silos = await grains.GetGrain<IMemoryMapGrain>(0).Get();
            var page = new MemoryPage([.. silos.Select(silo => new SiloEntry(silo.Silo, silo.Device, silo.BudgetBytes, silo.UsedBytes, silo.Evictions, silo.WaitingLoads,
                // A key limited to some models sees only their replicas (totals stay whole: the budget is shared).
                [.. silo.Replicas.Where(r => VisibleModels.Allows(http, r.Model))
                    .Select(use => new ReplicaEntry(use.Model, use.Version, use.Replica, use.Bytes, use.Measured, use.Pinned, use.IdleSeconds))]))]);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, page, ManagementJsonContext.Default.MemoryPage);
        });
    }

    /// <summary><c>{"silos": [...]}</c>.</summary>
    internal sealed record MemoryPage(SiloEntry[] Silos);

    /// <summary>One inference silo: its budget, what is used, evictions so far, loads waiting for room, and the replicas it holds.</summary>
    internal sealed record SiloEntry(string Silo, string Device, long BudgetBytes, long UsedBytes, long Evictions, int WaitingLoads, ReplicaEntry[] Replicas);

    /// <summary>One loaded replica and the bytes it holds.</summary>
    internal sealed record ReplicaEntry(string Model, string Version, int Replica, long Bytes, bool Measured, bool Pinned, double IdleSeconds);
}
