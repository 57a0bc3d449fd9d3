using System.Net;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Modeling;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class BatchingTests(ServingFixture serving)
{
    [Theory]
    [InlineData("mlp-fixed")]
    [InlineData("mlp-adaptive")]
    public async Task AThousandConcurrentRequestsEachGetExactlyTheirOwnOutputs(string model)
    {
        const int requests = 1000;
        var random = new Random(model.Length);
        var inputs = Enumerable.Range(0, requests).Select(i =>
        {
            var rows = 1 + i % 3;
            return Enumerable.Range(0, rows * DemoMlp.Inputs).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        }).ToArray();

        var responses = await Task.WhenAll(inputs.Select((x, i) =>
            serving.Client.InferAsync(model, [TensorData.From<float>("x", x, x.Length / DemoMlp.Inputs, DemoMlp.Inputs)], id: $"r{i}")));

        using var session = new InferenceSession(serving.DemoPath);
        using var runOptions = new RunOptions();
        for (var i = 0; i < requests; i++)
        {
            responses[i].Id.ShouldBe($"r{i}");
            using var input = OrtValue.CreateTensorValueFromMemory(inputs[i], [inputs[i].Length / DemoMlp.Inputs, DemoMlp.Inputs]);
            using var direct = session.Run(runOptions, ["x"], [input], ["logits", "probabilities"]);
            DirectOnnx.MaxAbsDiff(direct[0].GetTensorDataAsSpan<float>().ToArray(), responses[i].Output("logits").ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
            DirectOnnx.MaxAbsDiff(direct[1].GetTensorDataAsSpan<float>().ToArray(), responses[i].Output("probabilities").ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-5f);
        }
        var stats = await serving.Client.GetBatchingStatsAsync(model);
        stats.Batches.ShouldBeLessThan(stats.Requests, "requests must have shared batches");
        stats.Failed.ShouldBe(0);
    }

    [Fact]
    public async Task AModelWithAFixedBatchDimensionIsNeverBatched()
    {
        var inputs = Enumerable.Range(0, 30).Select(i => new[] { i - 15f, i, -i }).ToArray();

        var responses = await Task.WhenAll(inputs.Select(x => serving.Client.InferAsync("fixed-batch", [TensorData.From<float>("x", x, 1, 3)])));

        for (var i = 0; i < inputs.Length; i++) responses[i].Outputs[0].ToArray<float>().ShouldBe(inputs[i].Select(v => Math.Max(0f, v)).ToArray());
        var stats = await serving.Client.GetBatchingStatsAsync("fixed-batch");
        stats.Mode.ShouldBe("off");
        stats.RowsComputed.ShouldBe(stats.Batches, "every batch of a fixed-batch model holds one row");
    }

    [Fact]
    public async Task AFailingRequestFailsAloneAndItsBatchNeighboursAreServed()
    {
        var indices = new long[] { 0, 1, 2, 7, 2, 1, 0, 1, 2, 0 };

        var calls = indices.Select(i => serving.Client.InferAsync("lookup", [TensorData.From<long>("idx", [i], 1, 1)])).ToArray();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] == 7)
            {
                calls[i].IsFaulted.ShouldBeTrue();
                calls[i].Exception!.InnerException.ShouldBeOfType<InferenceFailedException>();
            }
            else
            {
                (await calls[i]).Outputs[0].ToArray<float>().ShouldBe([10f * (indices[i] + 1)]);
            }
        }
        var stats = await serving.Client.GetBatchingStatsAsync("lookup");
        stats.Failed.ShouldBe(1);
        (await serving.Client.InferAsync("lookup", [TensorData.From<long>("idx", [2L], 1, 1)])).Outputs[0].ToArray<float>().ShouldBe([30f]);
    }

    [Fact]
    public async Task AFullQueueAnswers429WithRetryAfterAndTheClientThrowsQueueFull()
    {
        const string body = """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""";
        var queued = Enumerable.Range(0, 2).Select(_ => PostRaw(serving.Http, "/v2/models/slow-full/infer", body)).ToArray();
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync("slow-full")).Queued == 2);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var refused = await serving.Http.PostAsync("/v2/models/slow-full/infer", content);

        // That a refusal never waits for the queue is shown on a fake clock (DeadlineAndCancellationTests); here, the wire.
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.ShouldNotBeNull();
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!.ShouldContain("max_queue_size");
        foreach (var (status, _) in await Task.WhenAll(queued)) status.ShouldBe(HttpStatusCode.OK);
        await Should.ThrowAsync<QueueFullException>(async () =>
        {
            var first = serving.Client.InferAsync("slow-full", [TensorData.From<float>("x", [1f, 2], 1, 2)]);
            var second = serving.Client.InferAsync("slow-full", [TensorData.From<float>("x", [1f, 2], 1, 2)]);
            await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync("slow-full")).Queued == 2);
            try
            {
                await serving.Client.InferAsync("slow-full", [TensorData.From<float>("x", [1f, 2], 1, 2)]);
            }
            finally
            {
                await Task.WhenAll(first, second);
            }
        });
    }

    [Fact]
    public async Task ARequestPastItsDeadlineIsDroppedBeforeComputeWith504()
    {
        var (status, error) = await PostRaw(serving.Http, "/v2/models/slow-deadline-http/infer",
            """{"parameters":{"timeout":50000},"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""");

        status.ShouldBe(HttpStatusCode.GatewayTimeout);
        error.GetProperty("error").GetString()!.ShouldContain("deadline");
        var stats = await serving.Client.GetBatchingStatsAsync("slow-deadline-http");
        (stats.Expired, stats.RowsComputed).ShouldBe((1L, 0L));
    }

    [Fact]
    public async Task AClientDeadlineSurfacesAsATypedException()
    {
        var error = await Should.ThrowAsync<DeadlineExceededException>(() =>
            serving.Client.InferAsync("slow-deadline-client", [TensorData.From<float>("x", [1f, 2], 1, 2)], timeout: TimeSpan.FromMilliseconds(40)));

        error.Message.ShouldContain("dropped before compute");
        (await serving.Client.GetBatchingStatsAsync("slow-deadline-client")).RowsComputed.ShouldBe(0);
    }

    [Fact]
    public async Task ADotNetCallerThatCancelsIsNotComputed()
    {
        using var cancel = new CancellationTokenSource();
        var call = serving.Client.InferAsync("slow-cancel-client", [TensorData.From<float>("x", [1f, 2], 1, 2)], cancellationToken: cancel.Token);
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync("slow-cancel-client")).Queued == 1);

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        // Counted as cancelled when it leaves the queue, so it can no longer be computed (shown on a fake clock in DeadlineAndCancellationTests).
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync("slow-cancel-client")).Cancelled == 1);
        var stats = await serving.Client.GetBatchingStatsAsync("slow-cancel-client");
        (stats.Queued, stats.RowsComputed).ShouldBe((0, 0L));
    }

    [Fact]
    public async Task AnHttpClientThatDisconnectsIsNotComputed()
    {
        using var cancel = new CancellationTokenSource();
        var call = serving.Http.PostAsync("/v2/models/slow-cancel/infer",
            new StringContent("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", System.Text.Encoding.UTF8, "application/json"),
            cancel.Token);
        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync("slow-cancel")).Queued == 1);

        await cancel.CancelAsync();
        await Should.ThrowAsync<TaskCanceledException>(() => call);

        await Poll.Until(async () => (await serving.Client.GetBatchingStatsAsync("slow-cancel")).Cancelled == 1);
        var stats = await serving.Client.GetBatchingStatsAsync("slow-cancel");
        (stats.Queued, stats.RowsComputed, stats.Batches).ShouldBe((0, 0L, 0L));
    }

    [Fact]
    public async Task AdaptiveSettingsAreObservableInTheStatsEndpoint()
    {
        await serving.Client.InferAsync("mlp-adaptive", [TensorData.From<float>("x", [1f, 2, 3, 4], 1, 4)]);

        var (status, body) = await Get(serving.Http, "/v2/models/mlp-adaptive/versions/1/stats");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var batching = body.GetProperty("model_stats")[0].GetProperty("batching");
        batching.GetProperty("mode").GetString().ShouldBe("adaptive");
        batching.GetProperty("latency_target_ms").GetDouble().ShouldBe(20);
        batching.GetProperty("max_batch_rows").GetInt32().ShouldBeInRange(1, 64);
        batching.GetProperty("queue_delay_us").GetInt64().ShouldBe(0);
        batching.GetProperty("requests").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
    }
}
