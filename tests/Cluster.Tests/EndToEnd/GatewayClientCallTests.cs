using Cluster.Client;
using Cluster.Errors;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// What the client does with a call through the gateway: retries a full queue after the server's
/// Retry-After, and carries its cancellation and deadline to the server, which drops the waiting request.
/// </summary>
public sealed class GatewayClientCallTests(ServingFixture serving)
{
    private static readonly TensorData X = TensorData.From<float>("x", [1f, 2], 1, 2);

    [Fact]
    public async Task AFullQueueIsRetriedAfterTheServersRetryAfter()
    {
        const string model = "slow-retry-gateway";
        var first = serving.RemoteClient.InferAsync(model, [X]);
        var second = serving.RemoteClient.InferAsync(model, [X]);
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync(model)).Queued == 2);

        var third = await serving.RemoteClient.InferAsync(model, [X]);

        third.Output("y").ToArray<float>().ShouldBe([1f, 2f]);
        await Task.WhenAll(first, second);
        (await serving.Client.GetBatchingStatsAsync(model)).Rejected.ShouldBe(1, "the first try was refused, the retry served");
    }

    [Fact]
    public async Task WithoutRetriesAFullQueueThrowsQueueFullWithTheServersRetryAfter()
    {
        const string model = "slow-full-gateway";
        await using var client = await Connect(new GatewayClientOptions { MaxRetries = 0 });
        var first = client.InferAsync(model, [X]);
        var second = client.InferAsync(model, [X]);
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync(model)).Queued == 2);

        var refused = await Should.ThrowAsync<QueueFullException>(() => client.InferAsync(model, [X]));

        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        refused.Message.ShouldContain("max_queue_size");
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task CancellingACallDropsTheRequestOnTheServer()
    {
        const string model = "slow-cancel-gateway";
        using var cancel = new CancellationTokenSource();
        var call = serving.RemoteClient.InferAsync(model, [X], cancellationToken: cancel.Token);
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync(model)).Queued == 1);

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        var stats = await Poll.For(() => serving.Client.GetBatchingStatsAsync(model), s => s.Cancelled == 1);
        (stats.Queued, stats.RowsComputed).ShouldBe((0, 0L));
    }

    [Fact]
    public async Task ACallPastTheClientsDeadlineIsDroppedOnTheServer()
    {
        const string model = "slow-deadline-gateway";
        await using var client = await Connect(new GatewayClientOptions { RequestTimeout = TimeSpan.FromSeconds(1) });

        await Should.ThrowAsync<DeadlineExceededException>(() => client.InferAsync(model, [X]));

        var stats = await Poll.For(() => serving.Client.GetBatchingStatsAsync(model), s => s.Cancelled == 1);
        (stats.Queued, stats.RowsComputed).ShouldBe((0, 0L));
    }

    private Task<InferenceClient> Connect(GatewayClientOptions options)
    {
        options.GrpcUrl = new Uri($"http://127.0.0.1:{serving.Silo.GrpcPort}");
        return InferenceClient.ConnectAsync(new Uri($"http://127.0.0.1:{serving.Silo.HttpPort}"), apiKey: null, options);
    }
}
