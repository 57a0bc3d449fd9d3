[assembly: AssemblyFixture(typeof(Cluster.Tests.EndToEnd.ServingFixture))]
