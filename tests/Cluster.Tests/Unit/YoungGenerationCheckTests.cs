extern alias silo;
using Cluster.Tests.Support;
using Shouldly;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Tests.Unit;

public sealed class YoungGenerationCheckTests
{
    [Fact]
    public void AMachineThatHidesItsCacheSizesAndNoFloorSetGetsAdviceNamingTheVariableAndTheFloor()
    {
        var advice = YoungGenerationCheck.Advice(setting: null, cacheHidden: true).ShouldNotBeNull();

        advice.ShouldContain($"{YoungGenerationCheck.Variable}={YoungGenerationCheck.Floor}");
    }

    [Theory]
    [InlineData("0x2000000", true)]
    [InlineData(null, false)]
    [InlineData("0x1000000", false)]
    public void AFloorOrVisibleCacheSizesNeedNoAdvice(string? setting, bool cacheHidden) =>
        YoungGenerationCheck.Advice(setting, cacheHidden).ShouldBeNull();

    [Theory]
    [InlineData("deploy/Dockerfile")]
    [InlineData("Silo/Properties/launchSettings.json")]
    [InlineData("tests/Cluster.Benchmarks/protocols-split-cores.sh")]
    public void EveryWayTheSiloIsStartedSetsTheFloor(string file) =>
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, file)).ShouldContain($"DOTNET_GCgen0size{(file.EndsWith(".json", StringComparison.Ordinal) ? "\": \"" : "=")}{YoungGenerationCheck.Floor}");
}
