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
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("silos");
                foreach (var silo in silos)
                {
                    w.WriteStartObject();
                    w.WriteString("silo", silo.Silo);
                    w.WriteString("device", silo.Device);
                    w.WriteNumber("budget_bytes", silo.BudgetBytes);
                    w.WriteNumber("used_bytes", silo.UsedBytes);
                    w.WriteNumber("evictions", silo.Evictions);
                    w.WriteNumber("waiting_loads", silo.WaitingLoads);
                    w.WriteStartArray("replicas");
                    // A key limited to some models sees only their replicas (totals stay whole: the budget is shared).
                    foreach (var use in silo.Replicas.Where(r => VisibleModels.Allows(http, r.Model)))
                    {
                        w.WriteStartObject();
                        w.WriteString("model", use.Model);
                        w.WriteString("version", use.Version);
                        w.WriteNumber("replica", use.Replica);
                        w.WriteNumber("bytes", use.Bytes);
                        w.WriteBoolean("measured", use.Measured);
                        w.WriteBoolean("pinned", use.Pinned);
                        w.WriteNumber("idle_seconds", use.IdleSeconds);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }
}
