using Cluster.Repository;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class ModelRepositoryScannerTests
{
    [Fact]
    public void VersionsAreFoundInNumericOrderAndBadFoldersAreReportedNotFatal()
    {
        using var repository = new TemporaryRepository();
        repository.Add("m", "10", [1]);
        repository.Add("m", "2", [1], """{"max_batch_size": 4, "replicas": 2, "device": "cpu", "labels": {"stable": "2"}}""");
        repository.Add("m", "v3", [1]);
        repository.Add("bad name!", "1", [1]);
        repository.Add("badconfig", "1", [1], """{"max_batch_sise": 4}""");
        Directory.CreateDirectory(Path.Combine(repository.Root, "m", "4"));

        var (entries, problems) = ModelRepositoryScanner.Scan(repository.Root);

        entries.Select(e => (e.Model, e.Version)).ShouldBe([("badconfig", "1"), ("m", "2"), ("m", "10")]);
        entries[0].ConfigProblem.ShouldNotBeNull("registered as not ready with the reason").ShouldContain("max_batch_sise");
        var config = entries[1].Config;
        (config.MaxBatchSize, config.Replicas, config.Device, config.Labels["stable"]).ShouldBe((4, 2, "cpu", "2"));
        problems.Count.ShouldBe(4);
        problems.ShouldContain(p => p.Contains("max_batch_sise"));
        problems.ShouldContain(p => p.Contains("'m/4'") && p.Contains("model.onnx"));
    }

    [Fact]
    public void DynamicBatchingIsReadWithTritonNames()
    {
        var config = ModelConfigFile.Parse("""
            {"max_batch_size": 32, "dynamic_batching": {"max_queue_delay_microseconds": 500, "preferred_batch_sizes": [16, 4],
             "max_queue_size": 100, "default_timeout_microseconds": 20000}}
            """);

        var batching = config.Batching;
        (batching.Enabled, batching.MaxQueueDelayMicroseconds, batching.MaxQueueSize, batching.DefaultTimeoutMicroseconds, batching.IsAdaptive)
            .ShouldBe((true, 500L, 100, 20000L, false));
        batching.PreferredBatchSizes.ShouldBe([4, 16]);
        ModelConfigFile.Parse("""{"dynamic_batching": {"latency_target_ms": 7.5}}""").Batching.IsAdaptive.ShouldBeTrue();
        ModelConfigFile.Parse("{}").Batching.Enabled.ShouldBeFalse();
    }

    [Fact]
    public void AMissingRepositoryHasNoModels()
    {
        var (entries, problems) = ModelRepositoryScanner.Scan(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        entries.ShouldBeEmpty();
        problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"replicas": 0}""")]
    [InlineData("""{"device": "tpu"}""")]
    [InlineData("""{"max_batch_size": -1}""")]
    [InlineData("""{"labels": {"stable": "one"}}""")]
    [InlineData("""{"labels": {"7": "1"}}""")]
    [InlineData("""not json""")]
    [InlineData("""{"max_batch_size": 0, "dynamic_batching": {}}""")]
    [InlineData("""{"dynamic_batching": {"latency_target_ms": 5, "max_queue_delay_microseconds": 100}}""")]
    [InlineData("""{"max_batch_size": 8, "dynamic_batching": {"preferred_batch_sizes": [16]}}""")]
    [InlineData("""{"dynamic_batching": {"max_queue_size": 0}}""")]
    [InlineData("""{"require_accelerator": true, "device": "cpu"}""")]
    [InlineData("""{"response_cache": {"max_entries": -1}}""")]
    [InlineData("""{"dynamic_batching": {"max_queue_delai_microseconds": 10}}""")]
    public void InvalidConfigFilesAreRejectedWithAReason(string json)
    {
        Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json)).Message.ShouldStartWith("config.json");
    }
}
