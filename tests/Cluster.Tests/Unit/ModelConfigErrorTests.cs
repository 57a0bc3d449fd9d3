using Cluster.Repository;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>A config.json mistake is named by file, key and line, so its author can fix it without reading our code.</summary>
public sealed class ModelConfigErrorTests
{
    private static string Problem(string json) => Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json, "/repo/m/config.json")).Message;

    [Fact]
    public void AnUnknownKeyIsNamedWithItsLineAndTheKeyItMostLikelyMeant()
    {
        Problem("{\n \"max_batch_sise\": 8\n}").ShouldBe("/repo/m/config.json: unknown key 'max_batch_sise' (line 2); did you mean 'max_batch_size'?");
    }

    [Fact]
    public void AnUnknownNestedKeyIsNamedByItsPathAndComparedWithTheKeysOfItsSection()
    {
        Problem("""{"dynamic_batching": {"max_queue_delai_microseconds": 10}}""")
            .ShouldBe("/repo/m/config.json: unknown key 'dynamic_batching.max_queue_delai_microseconds' (line 1); did you mean 'max_queue_delay_microseconds'?");
    }

    [Fact]
    public void AKeyLikeNoneListsTheKnownOnes()
    {
        var problem = Problem("""{"colour": "red"}""");

        problem.ShouldStartWith("/repo/m/config.json: unknown key 'colour' (line 1); known keys here: ");
        problem.ShouldContain("max_batch_size");
        problem.ShouldContain("dynamic_batching");
    }

    [Fact]
    public void AValueOfTheWrongKindIsNamedByItsKey()
    {
        Problem("""{"replicas": "two"}""").ShouldBe("/repo/m/config.json: the value of 'replicas' (line 1) is not of the right kind.");
    }

    [Fact]
    public void ABadValueNamesTheFileAndTheRule()
    {
        Problem("""{"replicas": 0}""").ShouldBe("/repo/m/config.json: replicas must be between 1 and 64.");
        Problem("not json").ShouldStartWith("/repo/m/config.json: not valid JSON (line 1): ");
    }

    [Fact]
    public void TheScannerKeepsTheVersionsOfAModelWithABadConfigAndGivesEachTheReason()
    {
        using var repository = new TemporaryRepository();
        repository.Add("good", "1", TestModels.Scale(2f));
        repository.Add("typo", "1", TestModels.Scale(2f), """{"replica": 2}""");
        repository.Add("typo", "2", TestModels.Scale(3f));

        var (entries, problems) = ModelRepositoryScanner.Scan(repository.Root);

        entries.Select(e => (e.Model, e.Version)).ShouldBe([("good", "1"), ("typo", "1"), ("typo", "2")]);
        entries[0].ConfigProblem.ShouldBeNull();
        var expected = $"{Path.Combine(repository.Root, "typo", "config.json")}: unknown key 'replica' (line 1); did you mean 'replicas'?";
        entries[1].ConfigProblem.ShouldBe(expected);
        entries[2].ConfigProblem.ShouldBe(expected);
        problems.ShouldHaveSingleItem().ShouldContain(expected);
    }
}
