using System.Diagnostics.Metrics;
using Cluster.Quality;
using Cluster.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Shouldly;

namespace Cluster.Tests.ClusterMode;

/// <summary>Cluster mode's prediction log on a real PostgreSQL: batched inserts, the first record of an id, claims once, expiry and pruning.</summary>
public sealed class PostgresPredictionLogTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static PredictionRecord Record(string id, string version = "1", int hours = 72, string? segment = null) =>
        new("m", id, version, segment, 2, 0.75f, double.NaN, T0, T0.AddHours(hours));

    [Fact]
    public async Task PredictionsAreWrittenInBatchesClaimedOnceForgottenPastRetentionAndPruned()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        await using var database = NpgsqlDataSource.Create(connectionString);
        await database.CreateCommand(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "sql", "006-predictions.sql"), TestContext.Current.CancellationToken))
            .ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var log = new PostgresPredictionLog(database, Options.Create(new QualityOptions { BatchSize = 2 }), new QualityInstruments(services.GetRequiredService<IMeterFactory>()));
        using var stop = new CancellationTokenSource();
        var writer = log.WriteQueued(stop.Token);

        log.Offer(Record("a", segment: "eu"));
        log.Offer(Record("a", version: "2"));   // a reused id keeps its first prediction
        log.Offer(Record("b", hours: 1));
        log.Offer(Record("c", hours: 100));
        log.Offer(Record("d", hours: 1));
        await Poll.Until(async () => (long)(await database.CreateCommand("SELECT count(*) FROM cluster_predictions").ExecuteScalarAsync())! == 4);

        var claims = await log.Claim("m", ["a", "b", "zz"], T0.AddMinutes(30), CancellationToken.None);
        var again = await log.Claim("m", ["a", "b", "d"], T0.AddHours(1), CancellationToken.None);
        stop.Cancel();
        await writer;

        claims[0].Record.ShouldBe(Record("a", segment: "eu"));
        (claims[1].Record?.Id, claims[2]).ShouldBe(("b", new PredictionClaim("zz", null, false)));
        again.ShouldBe([new PredictionClaim("a", null, true), new PredictionClaim("b", null, false), new PredictionClaim("d", null, false)],
            "b and d expired at one hour; a was labelled");
        (await log.Prune(T0.AddHours(72), CancellationToken.None)).ShouldBe(3);
        (await log.Claim("m", ["c"], T0.AddHours(72), CancellationToken.None))[0].Record!.Id.ShouldBe("c");
    }
}
