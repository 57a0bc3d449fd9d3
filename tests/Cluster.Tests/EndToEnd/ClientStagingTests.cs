using Cluster.Client;
using Cluster.Modeling;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.EndToEnd;

/// <summary>Safe staging (<c>default_version</c>, <c>version_policy</c>) set through the .NET client, the same way in both of its modes.</summary>
public abstract class ClientStagingTests(InferenceClient client, string mode)
{
    [Fact]
    public async Task ClientStagesANewVersionBehindTheStableLabel()
    {
        var model = $"client-staged-{mode}";
        await client.UploadVersionAsync(model, "1", DemoMlp.Build());
        await client.SetLabelAsync(model, "stable", "1");
        var config = Models.ModelConfig.Default with { DefaultVersion = "stable", VersionPolicy = new Models.VersionPolicy(Models.VersionPolicyKind.Latest, 2) };

        var updated = await client.SetConfigAsync(model, config);

        var applied = updated.Versions.Single().Registration.Config;
        (applied.DefaultVersion, applied.VersionPolicy!.Kind, applied.VersionPolicy.NumVersions).ShouldBe(("stable", Models.VersionPolicyKind.Latest, 2));
        await Poll.Until(async () => (await client.GetModelAsync(model)).Versions.Single().Status == VersionStatus.Ready);
        await client.UploadVersionAsync(model, "2", DemoMlp.Build());
        var staged = await client.GetModelAsync(model);
        staged.Versions.Select(v => v.Version).ShouldBe(["1", "2"]);
        staged.DefaultVersion.ShouldBe("1", "the upload is the highest version but the label still points at 1");
        await ServedBy(model, null, "1");

        await client.SetLabelAsync(model, "stable", "2");

        await ServedBy(model, null, "2");
    }

    /// <summary>Routers pick up label changes within a second (their refresh), not at once.</summary>
    private async Task ServedBy(string model, string? version, string expected)
    {
        var good = TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4);
        var served = await Poll.For(async () => (await client.InferAsync(model, [good], version: version)).ModelVersion, v => v == expected);
        served.ShouldBe(expected);
    }
}

public sealed class InClusterClientStagingTests(ServingFixture serving) : ClientStagingTests(serving.Client, "in-cluster");

public sealed class GatewayClientStagingTests(ServingFixture serving) : ClientStagingTests(serving.RemoteClient, "gateway");
