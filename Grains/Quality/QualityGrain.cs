using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Quality;

/// <summary>
/// Joins ground truth to served predictions through this silo's prediction log and pushes the sums of each batch's matches to
/// the versions' statistics grains before answering, so a caller that posted labels sees them in the next report.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class QualityGrain(IPredictionLog log, TimeProvider time) : Grain, IQualityGrain
{
    public async Task<GroundTruthResult> Submit(ImmutableArray<GroundTruthLabel> labels)
    {
        var model = this.GetPrimaryKeyString();
        var info = await Catalog(model);
        var config = info.Resolve(null)?.Registration.Config.Quality
            ?? info.Versions.Reverse().Select(v => v.Registration.Config.Quality).FirstOrDefault(q => q is not null)
            ?? throw new ConflictException($"Model '{model}' has no quality config; set \"quality\": {{\"task\": \"classification\"}} (or \"regression\") in its config.");
        var read = GroundTruthReader.Read(labels, config);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>(read.Length);
        var truth = new Dictionary<string, (int Class, double Value)>(StringComparer.Ordinal);
        foreach (var (id, actual, value) in read)
        {
            if (!seen.Add(id)) continue;
            ids.Add(id);
            truth[id] = (actual, value);
        }
        var duplicates = read.Length - ids.Count;
        var claims = await log.Claim(model, ids, time.GetUtcNow(), CancellationToken.None);
        var tallies = new Dictionary<string, QualityTally>(StringComparer.Ordinal);
        // With a bandit on the model, correctness is its reward: one feedback path instead of a second call per request.
        var rewards = info.Traffic?.Bandit is not null && config.Task == QualityTask.Classification ? ImmutableArray.CreateBuilder<Bandits.BanditReward>() : null;
        var unknown = 0;
        foreach (var claim in claims)
        {
            if (claim.AlreadyLabelled) duplicates++;
            // A prediction recorded under the other task (the config changed since) cannot be compared with this label.
            if (claim.Record is not { } record || !Comparable(record, config.Task))
            {
                if (!claim.AlreadyLabelled) unknown++;
                continue;
            }
            if (!tallies.TryGetValue(record.Version, out var tally)) tallies[record.Version] = tally = new QualityTally();
            var (actual, value) = truth[claim.Id];
            if (config.Task == QualityTask.Regression) tally.AddValue(record.PredictedValue, value, record.Segment);
            else tally.AddClass(record.PredictedClass, actual, record.Confidence, record.Segment);
            rewards?.Add(new Bandits.BanditReward(claim.Id, record.PredictedClass == actual ? 1 : 0));
        }
        await Task.WhenAll(tallies.Select(t => GrainFactory.GetGrain<IQualityStatsGrain>(GrainKeys.Version(model, t.Key)).Add(t.Value.ToSummary())));
        if (rewards is { Count: > 0 }) await GrainFactory.GetGrain<IBanditGrain>(model).Rewards(rewards.ToImmutable());
        var matched = tallies.Values.Sum(t => (int)t.Labelled);
        return new GroundTruthResult(read.Length, matched, unknown, duplicates);
    }

    public async Task<QualityReport> GetReport(string window)
    {
        var model = this.GetPrimaryKeyString();
        var info = await Catalog(model);
        var versions = info.Versions.Where(v => v.Registration.Config.Quality is not null).ToArray();
        var totals = await Task.WhenAll(versions.Select(v => GrainFactory.GetGrain<IQualityStatsGrain>(GrainKeys.Version(model, v.Version)).Get(window)));
        return new QualityReport(window, [.. versions.Select((v, i) => QualityFigures.Of(v.Version, v.Registration.Config.Quality!, totals[i]))]);
    }

    private static bool Comparable(PredictionRecord record, QualityTask task) =>
        task == QualityTask.Classification ? record.PredictedClass >= 0 : !double.IsNaN(record.PredictedValue);

    private async Task<ModelInfo> Catalog(string model)
    {
        var info = await GrainFactory.GetGrain<IModelGrain>(model).GetInfo();
        return info.Exists ? info : throw new ModelNotFoundException($"Unknown model '{model}'.");
    }
}
