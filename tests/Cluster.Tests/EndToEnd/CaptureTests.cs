using System.Net;
using System.Text;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Prediction capture on the embedded default: sampled requests land in JSON-lines files and come back through the export.</summary>
public sealed class CaptureTests(ServingFixture serving)
{
    private async Task<string> CapturedModel(string capture, string batching = "")
    {
        var model = $"cap-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(2f));
        var (status, body) = await PutRaw(serving.Http, $"/api/models/{model}/config", $$"""{"max_batch_size": 8, {{batching}} "capture": {{capture}}}""");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        await Poll.Until(async () => (await Get(serving.Http, $"/v2/models/{model}/ready")).Status == HttpStatusCode.OK);
        return model;
    }

    private async Task<(JsonElement Body, string TraceId)> Infer(string model, float[] x, string? id, string? traceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer")
        {
            Content = new StringContent(id is null
                ? JsonSerializer.Serialize(new { inputs = new[] { Tensor("x", "FP32", [x.Length / 2, 2], x) } })
                : JsonSerializer.Serialize(new { id, inputs = new[] { Tensor("x", "FP32", [x.Length / 2, 2], x) } }), Encoding.UTF8, "application/json"),
        };
        if (traceparent is not null) request.Headers.Add("traceparent", traceparent);
        using var response = await serving.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var responseTrace = response.Headers.GetValues("traceparent").Single().Split('-')[1];
        using var document = JsonDocument.Parse(text);
        return (document.RootElement.Clone(), responseTrace);
    }

    private async Task<JsonElement[]> Export(string model, int count, string query = "")
    {
        return await Poll.For(async () =>
        {
            using var response = await serving.Http.GetAsync($"/api/models/{model}/captures{query}", TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-ndjson");
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        }, records => records.Length >= count);
    }

    [Fact]
    public async Task EveryRequestOfAModelCapturingAllIsExportedWithItsIdTraceInputsAndOutputs()
    {
        var model = await CapturedModel("""{"fraction": 1.0}""");
        const string callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var (named, namedTrace) = await Infer(model, [1f, 2f], "req-1", $"00-{callerTrace}-00f067aa0ba902b7-01");
        var (unnamed, unnamedTrace) = await Infer(model, [3f, -4f, 0.5f, 8f], null);

        namedTrace.ShouldBe(callerTrace, "the caller's trace is continued");
        named.GetProperty("id").GetString().ShouldBe("req-1");
        var generatedId = unnamed.GetProperty("id").GetString();
        generatedId.ShouldNotBeNullOrEmpty("a captured request without an id gets one, so ground truth can be joined to it later");

        var records = await Export(model, 2);
        records.Length.ShouldBe(2);
        var (first, second) = (records[0], records[1]);
        first.GetProperty("id").GetString().ShouldBe("req-1");
        first.GetProperty("trace_id").GetString().ShouldBe(callerTrace);
        second.GetProperty("id").GetString().ShouldBe(generatedId);
        second.GetProperty("trace_id").GetString().ShouldBe(unnamedTrace);
        foreach (var record in records)
        {
            record.GetProperty("model").GetString().ShouldBe(model);
            record.GetProperty("version").GetString().ShouldBe("1");
            record.GetProperty("arm").GetString().ShouldBe("primary");
            record.GetProperty("outcome").GetString().ShouldBe("success");
            record.GetProperty("duration_ms").GetDouble().ShouldBeGreaterThan(0);
            record.GetProperty("queue_ms").GetDouble().ShouldBeInRange(0, record.GetProperty("duration_ms").GetDouble());
            record.GetProperty("compute_ms").GetDouble().ShouldBeInRange(0, record.GetProperty("duration_ms").GetDouble());
            record.GetProperty("completed_at").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(record.GetProperty("received_at").GetDateTimeOffset());
        }
        var input = second.GetProperty("inputs").EnumerateArray().Single();
        (input.GetProperty("name").GetString(), input.GetProperty("datatype").GetString()).ShouldBe(("x", "FP32"));
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([2L, 2L]);
        Floats(input).ShouldBe([3f, -4f, 0.5f, 8f]);
        var output = second.GetProperty("outputs").EnumerateArray().Single();
        Floats(output).ShouldBe(Floats(Output(unnamed, "y")));
        Floats(output).ShouldBe([6f, -8f, 1f, 16f]);

        // Filters: by version, by time, and a limit; oldest first.
        (await Export(model, 0, "?version=2")).ShouldBeEmpty();
        (await Export(model, 1, "?limit=1")).Single().GetProperty("id").GetString().ShouldBe("req-1");
        var after = Uri.EscapeDataString(first.GetProperty("completed_at").GetDateTimeOffset().AddTicks(1).ToString("O"));
        (await Export(model, 0, $"?from={after}")).Select(r => r.GetProperty("id").GetString()).ShouldBe([generatedId]);

        // The .NET client streams the same records.
        var viaClient = new List<JsonElement>();
        await foreach (var record in serving.Client.ExportCapturesAsync(model, cancellationToken: TestContext.Current.CancellationToken)) viaClient.Add(record);
        viaClient.Select(r => r.GetProperty("id").GetString()).ShouldBe(["req-1", generatedId]);

        var (_, audit) = await Get(serving.Http, $"/api/audit?model={model}");
        var exports = audit.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("action").GetString() == "capture.export").ToArray();
        exports.Length.ShouldBeGreaterThanOrEqualTo(5, "every export is audited, the client's too");
        exports.Select(r => r.GetProperty("actor").GetString()).ShouldContain("client");
        exports.Select(r => r.GetProperty("after").GetString()).ShouldContain(a => a!.Contains("version=2"));
    }

    [Fact]
    public async Task ARecordSaysHowLongItsRequestWaitedForABatchAndHowLongTheBatchComputed()
    {
        // Alone in a queue that waits 80 ms for company, the request's batch leaves after the whole delay.
        var model = await CapturedModel("""{"fraction": 1}""", """ "dynamic_batching": {"max_queue_delay_microseconds": 80000}, """);
        await Infer(model, [1f, 2f], "waited");

        var record = (await Export(model, 1)).Single();
        var (duration, queue, compute) = (record.GetProperty("duration_ms").GetDouble(), record.GetProperty("queue_ms").GetDouble(), record.GetProperty("compute_ms").GetDouble());
        queue.ShouldBeGreaterThanOrEqualTo(75, $"queue {queue} ms, compute {compute} ms, whole {duration} ms");
        (queue + compute).ShouldBeLessThanOrEqualTo(duration, $"queue {queue} ms, compute {compute} ms, whole {duration} ms");
        compute.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ARedactedInputKeepsOnlyItsShapeAndDatatype()
    {
        var model = await CapturedModel("""{"fraction": 1, "redact": ["x"], "outputs": false, "retention_days": 7}""");
        await Infer(model, [1f, 2f], "secret-1");

        var record = (await Export(model, 1)).Single();

        var input = record.GetProperty("inputs").EnumerateArray().Single();
        input.GetProperty("redacted").GetBoolean().ShouldBeTrue();
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([1L, 2L]);
        input.GetProperty("datatype").GetString().ShouldBe("FP32");
        input.TryGetProperty("data", out _).ShouldBeFalse();
        record.TryGetProperty("outputs", out _).ShouldBeFalse();
        var (_, details) = await Get(serving.Http, $"/api/models/{model}");
        details.GetProperty("versions")[0].GetProperty("config").GetProperty("capture").GetProperty("retention_days").GetInt32().ShouldBe(7);
    }

    [Fact]
    public async Task AModelWithoutCaptureRecordsNothingAndItsResponsesGetNoInventedId()
    {
        var model = $"cap-{Guid.NewGuid():N}"[..12];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Scale(2f));
        var (response, _) = await Infer(model, [1f, 2f], null);

        response.TryGetProperty("id", out _).ShouldBeFalse();
        (await Export(model, 0)).ShouldBeEmpty();
    }
}
