using Cluster.Models;
using Cluster.Repository;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>config.json's <c>default_version</c> and <c>version_policy</c>: how they read, what they refuse, and what the scanner and catalog make of them.</summary>
public sealed class StagingConfigTests
{
    [Fact]
    public void DefaultVersionIsHighestUnlessALabelIsNamed()
    {
        ModelConfigFile.Parse("{}").DefaultVersion.ShouldBeNull();
        ModelConfigFile.Parse("""{"default_version": "highest"}""").DefaultVersion.ShouldBeNull("\"highest\" is today's rule, stored as no label");
        ModelConfigFile.Parse("""{"default_version": "stable"}""").DefaultVersion.ShouldBe("stable");
    }

    [Theory]
    [InlineData("""{"default_version": "3"}""", "default_version '3' is a version number")]
    [InlineData("""{"default_version": "no such!"}""", "default_version 'no such!' is neither")]
    [InlineData("""{"default_version": 3}""", "'default_version'")]
    [InlineData("""{"version_policy": {}}""", "version_policy must hold exactly one")]
    [InlineData("""{"version_policy": {"all": {}, "latest": {"num_versions": 1}}}""", "version_policy must hold exactly one")]
    [InlineData("""{"version_policy": {"latest": {"num_versions": 0}}}""", "version_policy.latest.num_versions must be 1 or more")]
    [InlineData("""{"version_policy": {"latest": {}}}""", "version_policy.latest.num_versions must be 1 or more")]
    [InlineData("""{"version_policy": {"specific": {"versions": []}}}""", "version_policy.specific.versions must list")]
    [InlineData("""{"version_policy": {"specific": {"versions": [0]}}}""", "version_policy.specific.versions must be positive")]
    [InlineData("""{"version_policy": {"newest": {}}}""", "unknown key 'version_policy.newest'")]
    public void InvalidValuesAreRefusedNamingTheKey(string json, string reason) =>
        Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json)).Message.ShouldContain(reason);

    [Fact]
    public void VersionPolicyReadsTritonsThreeShapes()
    {
        ModelConfigFile.Parse("{}").VersionPolicy.ShouldBeNull("without a policy every version loads, as before");
        ModelConfigFile.Parse("""{"version_policy": {"all": {}}}""").VersionPolicy!.Kind.ShouldBe(VersionPolicyKind.All);
        var latest = ModelConfigFile.Parse("""{"version_policy": {"latest": {"num_versions": 2}}}""").VersionPolicy!;
        (latest.Kind, latest.NumVersions).ShouldBe((VersionPolicyKind.Latest, 2));
        var specific = ModelConfigFile.Parse("""{"version_policy": {"specific": {"versions": [10, 2, 2]}}}""").VersionPolicy!;
        specific.Kind.ShouldBe(VersionPolicyKind.Specific);
        specific.Versions.ShouldBe(["2", "10"]);
    }

    [Fact]
    public void APolicyAdmitsTheVersionsItNames()
    {
        string[] versions = ["1", "2", "10"];
        new VersionPolicy(VersionPolicyKind.All).Admit(versions).ShouldBe(versions);
        new VersionPolicy(VersionPolicyKind.Latest, 2).Admit(versions).ShouldBe(["2", "10"]);
        new VersionPolicy(VersionPolicyKind.Latest, 5).Admit(versions).ShouldBe(versions);
        new VersionPolicy(VersionPolicyKind.Specific, Versions: ["1", "10", "7"]).Admit(versions).ShouldBe(["1", "10"]);
    }

    [Fact]
    public void TheScannerRegistersOnlyTheVersionsThePolicyAdmits()
    {
        using var repository = new TemporaryRepository();
        repository.Add("latest", "1", [1], """{"version_policy": {"latest": {"num_versions": 2}}}""");
        repository.Add("latest", "2", [1]);
        repository.Add("latest", "10", [1]);
        repository.Add("picked", "1", [1], """{"version_policy": {"specific": {"versions": [1, 3]}}}""");
        repository.Add("picked", "2", [1]);
        repository.Add("picked", "3", [1]);
        repository.Add("every", "1", [1]);
        repository.Add("every", "2", [1]);

        var (entries, problems) = ModelRepositoryScanner.Scan(repository.Root);

        problems.ShouldBeEmpty();
        entries.Select(e => $"{e.Model}/{e.Version}").ShouldBe(["every/1", "every/2", "latest/2", "latest/10", "picked/1", "picked/3"]);
    }

    [Fact]
    public void TheDefaultFollowsItsLabelAndIsNoneWhileTheLabelPointsNowhere()
    {
        ModelVersionInfo[] versions = [Ready("1"), Ready("2")];
        var labels = new Dictionary<string, string> { ["stable"] = "1" };

        ModelCatalog.DefaultVersion(versions).ShouldBe("2");
        ModelCatalog.DefaultVersion(versions, "stable", labels).ShouldBe("1", "the highest version takes nothing while the label points elsewhere");
        ModelCatalog.DefaultVersion(versions, "canary", labels).ShouldBeNull();
        ModelCatalog.DefaultVersion(versions, "stable", new Dictionary<string, string> { ["stable"] = "7" }).ShouldBeNull("a label left on a deleted version");
    }

    [Fact]
    public void TheModelWideConfigDecidesTheRuleElseAnyVersionThatNamesALabel()
    {
        var state = new ModelState();
        state.Versions["1"] = Ready("1", ModelConfig.Default with { DefaultVersion = "stable" });
        state.Versions["2"] = Ready("2");
        ModelCatalog.DefaultLabel(state).ShouldBe("stable", "a version uploaded without settings does not switch staging off");

        state.Config = ModelConfig.Default;
        ModelCatalog.DefaultLabel(state).ShouldBeNull("config set through the API applies to every version");
    }

    private static ModelVersionInfo Ready(string version, ModelConfig? config = null) =>
        new(version, VersionStatus.Ready, null, null, null, new VersionRegistration(version, "", "", config ?? ModelConfig.Default));
}
