using Cluster.Client;
using Cluster.Modeling;
using Cluster.Security;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Cli;

/// <summary>The .NET client from outside the cluster against a gateway that requires API keys: what a key may do, through the client.</summary>
[Collection(KeyedSiloCollection.Name)]
public sealed class GatewayClientKeyTests(CliSiloFixture silo)
{
    private static readonly TensorData DemoInput = TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4);

    [Fact]
    public async Task AKeyLimitedToOneModelInfersOnItAndIsRefusedElsewhere()
    {
        await using var admin = await Connect(TestKeys.Admin);
        var created = await admin.CreateApiKeyAsync("client-limited", ApiKeyScope.Infer, [DemoMlp.Name]);
        created.Info.Scopes.ShouldBe(ApiKeyScope.Infer);
        created.Info.Models.ShouldBe([DemoMlp.Name]);
        (await admin.ListApiKeysAsync()).ShouldContain(k => k.Id == created.Info.Id && k.IsActive);

        await using var limited = await Connect(created.Key);
        limited.IsRemote.ShouldBeTrue();
        (await limited.InferAsync(DemoMlp.Name, [DemoInput])).Output("probabilities").Shape.ShouldBe([1L, 3L]);
        var elsewhere = await Should.ThrowAsync<UnauthorizedAccessException>(
            () => limited.InferAsync("strings", [TensorData.FromStrings("text", ["a", "b"], 1, 2)]));
        elsewhere.Message.ShouldContain("strings");
        await Should.ThrowAsync<UnauthorizedAccessException>(() => limited.ListApiKeysAsync());
    }

    [Fact]
    public async Task NoKeyIsRefusedAndARevokedKeyStopsWorking()
    {
        await using var anonymous = await Connect(null);
        await Should.ThrowAsync<UnauthorizedAccessException>(() => anonymous.InferAsync(DemoMlp.Name, [DemoInput]));
        await Should.ThrowAsync<UnauthorizedAccessException>(() => anonymous.ListModelsAsync());

        await using var admin = await Connect(TestKeys.Admin);
        var created = await admin.CreateApiKeyAsync("client-rotated", ApiKeyScope.Infer | ApiKeyScope.Read);
        var rotated = await admin.RotateApiKeyAsync(created.Info.Id);
        rotated.Info.Id.ShouldBe(created.Info.Id);
        rotated.Key.ShouldNotBe(created.Key);
        await using var reader = await Connect(rotated.Key);
        (await reader.ListModelsAsync()).ShouldContain(DemoMlp.Name);
        (await reader.InferAsync(DemoMlp.Name, [DemoInput])).ModelVersion.ShouldBe("1");

        (await admin.RevokeApiKeyAsync(created.Info.Id)).IsActive.ShouldBeFalse();
        await Poll.Until(async () =>
        {
            try
            {
                await reader.InferAsync(DemoMlp.Name, [DemoInput]);
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        });
    }

    private Task<InferenceClient> Connect(string? key) =>
        InferenceClient.ConnectAsync(new Uri(silo.Url), key, new GatewayClientOptions { GrpcUrl = new Uri(silo.GrpcUrl) });
}
