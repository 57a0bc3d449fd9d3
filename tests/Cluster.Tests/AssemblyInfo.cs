[assembly: AssemblyFixture(typeof(Cluster.Tests.EndToEnd.ServingFixture))]
[assembly: AssemblyFixture(typeof(Cluster.Tests.ClusterMode.PostgresFixture))]
