using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>What a served prediction leaves for the ground-truth join: the argmax (and its probability) or the value, per row.</summary>
public sealed class PredictionExtractorTests
{
    private static readonly DateTimeOffset Served = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class ListLog : IPredictionLog
    {
        public List<PredictionRecord> Records { get; } = [];
        public void Offer(PredictionRecord record) => Records.Add(record);
        public Task<IReadOnlyList<PredictionClaim>> Claim(string model, IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<long> Prune(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static List<PredictionRecord> Extract(QualityConfig config, TensorData output, string? segment = null, string id = "r")
    {
        var log = new ListLog();
        var parameters = segment is null ? null : ImmutableDictionary<string, string>.Empty.Add(config.Segment, segment);
        PredictionExtractor.Record(log, "m", "2", new InferenceRequest(id, [], [], Parameters: parameters), [output], config, output.Name, Served);
        return log.Records;
    }

    [Fact]
    public void AProbabilityRowGivesItsArgmaxAndTopProbabilityUnderTheRequestIdWithItsSegment()
    {
        var record = Extract(new QualityConfig(QualityTask.Classification, Segment: "region", RetentionHours: 2),
            TensorData.From<float>("p", [0.1f, 0.7f, 0.2f], 1, 3), segment: "eu").Single();

        record.ShouldBe(new PredictionRecord("m", "r", "2", "eu", 1, 0.7f, double.NaN, Served, Served.AddHours(2)));
    }

    [Fact]
    public void LogitsGiveTheArgmaxWithoutAConfidenceAndEachRowOfABatchIsKeptUnderIdHashRow()
    {
        var records = Extract(new QualityConfig(QualityTask.Classification), TensorData.From<double>("logits", [2.5, -1, 3, 0.5, 9, -9], 2, 3));

        records.Select(r => (r.Id, r.PredictedClass, float.IsNaN(r.Confidence), r.Segment)).ShouldBe([("r#0", 2, true, null), ("r#1", 1, true, null)]);
    }

    [Fact]
    public void ARegressionRowGivesItsFirstValue()
    {
        var records = Extract(new QualityConfig(QualityTask.Regression), TensorData.From<float>("y", [1.5f, 9f, -2f, 9f], 2, 2));

        records.Select(r => (r.Id, r.PredictedValue, r.PredictedClass)).ShouldBe([("r#0", 1.5, -1), ("r#1", -2.0, -1)]);
    }

    [Fact]
    public void AnOutputOfAnotherTypeOrAMissingOutputLeavesNoRecord()
    {
        Extract(new QualityConfig(QualityTask.Classification), TensorData.From<long>("k", [1L, 2L], 1, 2)).ShouldBeEmpty();
        var log = new ListLog();
        PredictionExtractor.Record(log, "m", "1", new InferenceRequest("r", [], []), [TensorData.From<float>("y", [1f], 1, 1)], new QualityConfig(QualityTask.Regression), "other", Served);
        log.Records.ShouldBeEmpty();
    }
}
