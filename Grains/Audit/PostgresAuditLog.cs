using System.Collections.Immutable;
using Npgsql;

namespace Cluster.Audit;

/// <summary>The audit log as rows of <c>cluster_audit</c> (deploy/sql/004-audit.sql), shared by every silo of the cluster.</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource database) : IAuditLog
{
    public async Task Append(string action, string? model, string? before, string? after, string? actor = null)
    {
        await using var command = database.CreateCommand(
            "INSERT INTO cluster_audit (actor, action, model, before_state, after_state) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = actor ?? AuditActor.Current });
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)model ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)before ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)after ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<ImmutableArray<AuditRecord>> Read(int limit, string? model)
    {
        await using var command = database.CreateCommand(
            "SELECT id, at, actor, action, model, before_state, after_state FROM cluster_audit WHERE ($1::text IS NULL OR model = $1) ORDER BY id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)model ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var records = ImmutableArray.CreateBuilder<AuditRecord>();
        while (await reader.ReadAsync())
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return records.ToImmutable();
    }
}
