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
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("records");
                foreach (var record in records)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", record.Id);
                    w.WriteString("at", record.At);
                    w.WriteString("actor", record.Actor);
                    w.WriteString("action", record.Action);
                    w.WriteString("model", record.Model);
                    w.WriteString("before", record.Before);
                    w.WriteString("after", record.After);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }
}
