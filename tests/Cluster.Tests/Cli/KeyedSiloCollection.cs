namespace Cluster.Tests.Cli;

/// <summary>The test classes that share one in-process silo requiring API keys (<see cref="CliSiloFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class KeyedSiloCollection : ICollectionFixture<CliSiloFixture>
{
    public const string Name = "keyed silo";
}
