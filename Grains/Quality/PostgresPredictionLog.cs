using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Cluster.Quality;

/// <summary>
/// Cluster mode's prediction log: rows of <c>cluster_predictions</c> (deploy/sql/006-predictions.sql). Routers offer records to a
/// bounded queue; <see cref="PredictionLogWriter"/> inserts them in batches, so the request path never waits on the database.
/// </summary>
public sealed class PostgresPredictionLog : IPredictionLog
{
    private readonly NpgsqlDataSource _database;
    private readonly QualityInstruments _instruments;
    private readonly Channel<PredictionRecord> _queue;
    private readonly int _batchSize;

    /// <summary>Creates the log over the cluster's database.</summary>
    public PostgresPredictionLog(NpgsqlDataSource database, IOptions<QualityOptions> options, QualityInstruments instruments)
    {
        _database = database;
        _instruments = instruments;
        _batchSize = options.Value.BatchSize;
        _queue = Channel.CreateBounded<PredictionRecord>(
            new BoundedChannelOptions(options.Value.BufferSize) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            dropped => instruments.CountDropped(dropped.Model, 1));
    }

    public void Offer(PredictionRecord record) => _queue.Writer.TryWrite(record);

    /// <summary>Writes queued records until <paramref name="cancellationToken"/> fires, then what is left.</summary>
    public async Task WriteQueued(CancellationToken cancellationToken)
    {
        var batch = new List<PredictionRecord>(_batchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken))
            {
                await WriteAvailable(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await WriteAvailable(batch, CancellationToken.None);
        }
    }

    private async Task WriteAvailable(List<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var record)) batch.Add(record);
            if (batch.Count == 0) return;
            try
            {
                await Insert(batch, cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // Labels for these predictions will count as unknown; the request path is never held up for the database.
                foreach (var group in batch.GroupBy(r => r.Model)) _instruments.CountDropped(group.Key, group.Count());
            }
        }
    }

    private async Task Insert(List<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        // One statement per batch; a reused request id keeps its first prediction, as in memory.
        await using var command = _database.CreateCommand(
            "INSERT INTO cluster_predictions (model, request_id, version, segment, predicted_class, confidence, predicted_value, served_at, expires_at) " +
            "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::real[], $7::double precision[], $8::timestamptz[], $9::timestamptz[]) " +
            "ON CONFLICT (model, request_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.Model) });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.Id) });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.Version) });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.Segment), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.PredictedClass) });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.Confidence) });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.PredictedValue) });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.ServedAt.UtcDateTime), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.ConvertAll(r => r.ExpiresAt.UtcDateTime), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PredictionClaim>> Claim(string model, IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<string, PredictionRecord>(StringComparer.Ordinal);
        var labelledBefore = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand(
            "UPDATE cluster_predictions SET labelled = true WHERE model = $1 AND request_id = ANY($2) AND NOT labelled AND expires_at > $3 " +
            "RETURNING request_id, version, segment, predicted_class, confidence, predicted_value, served_at, expires_at", connection))
        {
            AddKeys(claim, model, ids, now);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                claimed[id] = new PredictionRecord(model, id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3),
                    reader.GetFloat(4), reader.GetDouble(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7));
            }
        }
        if (claimed.Count < ids.Count)
        {
            await using var duplicates = new NpgsqlCommand(
                "SELECT request_id FROM cluster_predictions WHERE model = $1 AND request_id = ANY($2) AND labelled AND expires_at > $3", connection);
            AddKeys(duplicates, model, ids, now);
            await using var reader = await duplicates.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) labelledBefore.Add(reader.GetString(0));
        }
        return [.. ids.Select(id => claimed.TryGetValue(id, out var record)
            ? new PredictionClaim(id, record, false)
            : new PredictionClaim(id, null, labelledBefore.Contains(id)))];
    }

    private static void AddKeys(NpgsqlCommand command, string model, IReadOnlyList<string> ids, DateTimeOffset now)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    public async Task<long> Prune(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("DELETE FROM cluster_predictions WHERE expires_at <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
