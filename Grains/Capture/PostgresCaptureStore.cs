using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Cluster.Capture;

/// <summary>Captured predictions as rows of <c>cluster_captures</c> (deploy/sql/005-captures.sql), written with binary COPY.</summary>
public sealed class PostgresCaptureStore(NpgsqlDataSource database) : ICaptureStore
{
    public async Task Append(IReadOnlyList<CaptureRecord> records, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY cluster_captures (request_id, trace_id, model, version, completed_at, expires_on, record) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var record in records)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(record.Id, NpgsqlDbType.Text, cancellationToken);
            if (record.TraceId is null) await copy.WriteNullAsync(cancellationToken);
            else await copy.WriteAsync(record.TraceId, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(record.Model, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(record.Version, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(record.CompletedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(record.ExpiresOn, NpgsqlDbType.Date, cancellationToken);
            await copy.WriteAsync(Encoding.UTF8.GetString(record.Json.Span), NpgsqlDbType.Text, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    public async IAsyncEnumerable<string> Read(string model, CaptureQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT record FROM cluster_captures WHERE model = $1 AND ($2::text IS NULL OR version = $2) " +
            "AND ($3::timestamptz IS NULL OR completed_at >= $3) AND ($4::timestamptz IS NULL OR completed_at < $4) " +
            "ORDER BY completed_at, seq LIMIT $5");
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.From?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.To?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return reader.GetString(0);
    }

    public async Task<long> Prune(DateOnly today, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM cluster_captures WHERE expires_on <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = today, NpgsqlDbType = NpgsqlDbType.Date });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
