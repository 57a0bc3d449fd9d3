using Cluster.Models;
using Cluster.Repository;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>How the repository scan finds pipeline versions beside model versions.</summary>
public sealed class PipelineRepositoryScanTests
{
    [Fact]
    public void APipelineJsonVersionIsFoundAsAPipelineAndAFolderWithBothFilesIsReported()
    {
        using var repository = new TemporaryRepository();
        repository.Add("m", "1", [1]);
        Write(repository, "p", "1", "pipeline.json");
        Write(repository, "p", "2", "pipeline.json");
        repository.Add("p", "2", [1]);

        var (entries, problems) = ModelRepositoryScanner.Scan(repository.Root);

        entries.Select(e => (e.Model, e.Version, e.Kind)).ShouldBe([("m", "1", VersionKind.Model), ("p", "1", VersionKind.Pipeline)]);
        entries[1].ArtifactPath.ShouldEndWith(Path.Combine("p", "1", "pipeline.json"));
        problems.ShouldHaveSingleItem().ShouldContain("'p/2': both model.onnx and pipeline.json");
    }

    private static void Write(TemporaryRepository repository, string model, string version, string file)
    {
        var folder = Path.Combine(repository.Root, model, version);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, file), "{}");
    }
}
