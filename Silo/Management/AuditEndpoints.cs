using Cluster.Audit;
using Cluster.Errors;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Management;

/// <summary><c>GET /api/audit?limit=100&amp;model=m</c> (admin scope): administrative changes, newest first.</summary>
internal static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/api/audit", async (HttpContext http, IAuditLog audit, int? limit, string? model) =>
        {
            var count = limit ?? 100;
            if (count is < 1 or > 10_000) throw new InvalidInferenceRequestException("limit must be between 1 and 10000.");
            var records = await audit.Read(count, model);
            var page = new AuditPage([.. records.Select(r => new AuditEntry(r.Id, r.At, r.Actor, r.Action, r.Model, r.Before, r.After))]);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, page, ManagementJsonContext.Default.AuditPage);
        });
    }

    /// <summary><c>{"records": [...]}</c>.</summary>
    internal sealed record AuditPage(AuditEntry[] Records);

    /// <summary>One change: who made it, when, to which model, and the state before and after (as text).</summary>
    internal sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Model, string? Before, string? After);
}
