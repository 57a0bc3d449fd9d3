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

        entries.Select(e => (e.Model, e.Version)).ShouldBe([("m", "2"), ("m", "10")]);
        var config = entries[0].Config;
        (config.MaxBatchSize, config.Replicas, config.Device, config.Labels["stable"]).ShouldBe((4, 2, "cpu", "2"));
        problems.Count.ShouldBe(4);
        problems.ShouldContain(p => p.Contains("max_batch_sise"));
        problems.ShouldContain(p => p.Contains("'m/4'") && p.Contains("model.onnx"));
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
    public void InvalidConfigFilesAreRejectedWithAReason(string json)
    {
        Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json)).Message.ShouldStartWith("config.json");
    }
}
