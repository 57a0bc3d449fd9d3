using Cluster.Tests.Support;
using Shouldly;
using YamlDotNet.RepresentationModel;

namespace Cluster.Tests.Unit;

/// <summary>Docker and Kubernetes cannot run here; what can be checked is that the manifests parse and say what they must.</summary>
public sealed class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot.Path, "deploy");

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Deploy, file));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    [Theory]
    [InlineData("k8s/gateway.yaml", "Deployment,Service")]
    [InlineData("k8s/inference-gpu.yaml", "Deployment")]
    [InlineData("k8s/rbac.yaml", "ServiceAccount,Role,RoleBinding")]
    [InlineData("k8s/secret.yaml", "Secret")]
    public void KubernetesManifestsParseIntoTheExpectedKinds(string file, string kinds)
    {
        Documents(file).Select(d => d["kind"].ToString()).ShouldBe(kinds.Split(','));
    }

    [Fact]
    public void InferenceSilosRequestAGpuAndGatewaysDoNot()
    {
        static string Text(string file) => File.ReadAllText(Path.Combine(Deploy, file));

        Text("k8s/inference-gpu.yaml").ShouldContain("nvidia.com/gpu: 1");
        Text("k8s/inference-gpu.yaml").ShouldContain("value: inference");
        Text("k8s/gateway.yaml").ShouldNotContain("nvidia.com/gpu");
        Text("k8s/gateway.yaml").ShouldContain("value: gateway");
    }

    [Fact]
    public void TheComposeFileRunsPostgresOneGatewayAndTwoInferenceSilos()
    {
        var services = (YamlMappingNode)Documents("compose.yaml").Single()["services"];

        services.Children.Keys.Select(k => k.ToString()).Order().ShouldBe(["gateway", "inference-1", "inference-2", "postgres"]);
        File.Exists(Path.Combine(Deploy, "Dockerfile")).ShouldBeTrue();
    }
}
