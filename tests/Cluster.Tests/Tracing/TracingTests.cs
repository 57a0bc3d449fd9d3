using System.Diagnostics;
using System.Net;
using Cluster.Protocol.V2;
using Cluster.Tests.Support;
using Grpc.Net.Client;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.Tracing;

/// <summary>
/// One request is one trace across silos: the gateway's HTTP span, parse, route, queue, the batch,
/// the replica's compute on the inference silo, and the response write, with the trace id in the
/// response; a batch span links every request it carries.
/// </summary>
public sealed class TracingTests(TwoSiloTracingFixture cluster) : IClassFixture<TwoSiloTracingFixture>
{
    private static object Body(float seed) => new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { seed, 2f, 3f, 4f }) } };

    private static ActivityTraceId TraceIdOf(string traceparent)
    {
        var parts = traceparent.Split('-');
        parts.Length.ShouldBe(4, traceparent);
        parts[0].ShouldBe("00");
        return ActivityTraceId.CreateFromString(parts[1]);
    }

    private async Task<ActivityTraceId> Infer(float seed, string? traceparent = null, string model = "batched")
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer") { Content = JsonContent(Body(seed)) };
        if (traceparent is not null) message.Headers.Add("traceparent", traceparent);
        using var response = await cluster.Http.SendAsync(message);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return TraceIdOf(response.Headers.GetValues("traceparent").Single());
    }

    private static System.Net.Http.StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private Task<Activity[]> TraceSpans(ActivityTraceId trace, params string[] names) =>
        Poll.For(() => Task.FromResult(cluster.Spans.Where(s => s.TraceId == trace).ToArray()),
            spans => names.All(n => spans.Any(s => s.OperationName == n)), TimeSpan.FromSeconds(15));

    [Fact]
    public async Task ARequestIsOneTraceFromTheGatewaySiloThroughTheBatchToTheComputeOnTheInferenceSilo()
    {
        var trace = await Infer(1f);

        var spans = await TraceSpans(trace, "Microsoft.AspNetCore.Hosting.HttpRequestIn", "parse", "route", "queue", "batch", "compute", "write");

        var http = spans.Single(s => s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        http.Parent.ShouldBeNull("a request without traceparent starts a trace");
        http.GetTagItem("cluster.model").ShouldBe("batched");
        var route = spans.Single(s => s.OperationName == "route");
        route.GetTagItem("cluster.version").ShouldBe("1");
        route.GetTagItem("cluster.outcome").ShouldBe("success");
        var compute = spans.Single(s => s.OperationName == "compute");
        compute.GetTagItem("cluster.silo").ShouldBe(cluster.InferenceSilo);
        cluster.InferenceSilo.ShouldNotBe(cluster.GatewaySilo);
        compute.GetTagItem("cluster.batch.rows").ShouldBe(1);
        // Every span of ours descends from the request's span: the context crossed the grain calls, silo to silo.
        foreach (var span in spans.Where(s => s.Source.Name == Cluster.Telemetry.InferenceTracing.SourceName))
        {
            Ancestors(span, spans).ShouldContain(http.SpanId, $"{span.OperationName} hangs under the HTTP span");
        }
    }

    [Fact]
    public async Task ACallersTraceparentIsContinuedAndComesBack()
    {
        var caller = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();

        var trace = await Infer(2f, $"00-{caller}-{parent}-01");

        trace.ShouldBe(caller);
        var spans = await TraceSpans(caller, "Microsoft.AspNetCore.Hosting.HttpRequestIn", "compute");
        spans.Single(s => s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn").ParentSpanId.ShouldBe(parent);
    }

    [Fact]
    public async Task ABatchSpanLinksEveryRequestItCarries()
    {
        // The model waits up to 300 ms for a fuller batch, so requests sent together share one.
        var traces = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Infer(10f + i)));

        var batches = await Poll.For(
            () => Task.FromResult(cluster.Spans.Where(s => s.OperationName == "batch" && s.Links.Any(l => traces.Contains(l.Context.TraceId))).ToArray()),
            found => found.SelectMany(b => b.Links).Count(l => traces.Contains(l.Context.TraceId)) == traces.Length, TimeSpan.FromSeconds(15));

        var batch = batches.ShouldHaveSingleItem("three requests sent together on a model that waits 300 ms form one batch");
        batch.Links.Select(l => l.Context.TraceId).ShouldBe(traces, ignoreOrder: true);
        batch.GetTagItem("cluster.batch.requests").ShouldBe(3);
        traces.ShouldContain(batch.TraceId, "the batch sits in one of its requests' traces");
        foreach (var trace in traces) (await TraceSpans(trace, "queue")).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task GrpcContinuesTheCallersTraceAndReturnsItInTrailingMetadata()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{cluster.GrpcPort}");
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = new ModelInferRequest { ModelName = "batched" };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Contents = new InferTensorContents() };
        x.Shape.AddRange([1, 4]);
        x.Contents.Fp32Contents.AddRange([1f, 2f, 3f, 4f]);
        request.Inputs.Add(x);
        var caller = ActivityTraceId.CreateRandom();

        using var call = client.ModelInferAsync(request, new Grpc.Core.Metadata { { "traceparent", $"00-{caller}-{ActivitySpanId.CreateRandom()}-01" } });
        await call.ResponseAsync;

        TraceIdOf(call.GetTrailers().GetValue("traceparent").ShouldNotBeNull()).ShouldBe(caller);
        (await TraceSpans(caller, "parse", "compute")).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task APipelineRequestHasOneSpanPerStepAllChildrenOfThePipelineSpan()
    {
        var trace = await Infer(3f, model: TwoSiloTracingFixture.Pipeline);

        var spans = await Poll.For(() => Task.FromResult(cluster.Spans.Where(s => s.TraceId == trace).ToArray()),
            found => found.Count(s => s.OperationName == "pipeline.step") == 4 && found.Count(s => s.OperationName == "route") == 3, TimeSpan.FromSeconds(15));

        var pipeline = spans.Single(s => s.OperationName == "pipeline");
        pipeline.GetTagItem("cluster.model").ShouldBe(TwoSiloTracingFixture.Pipeline);
        pipeline.GetTagItem("cluster.version").ShouldBe("1");
        var route = spans.Single(s => s.OperationName == "route" && (string?)s.GetTagItem("cluster.model") == TwoSiloTracingFixture.Pipeline);
        Ancestors(pipeline, spans).ShouldContain(route.SpanId);
        var steps = spans.Where(s => s.OperationName == "pipeline.step").ToArray();
        steps.Select(s => (string?)s.GetTagItem("cluster.step")).ShouldBe(["first", "second", "mean", "top"], ignoreOrder: true);
        // Direct children, though the steps run from the outputs back (top reads mean, which reads first and second).
        steps.ShouldAllBe(s => s.ParentSpanId == pipeline.SpanId);
        foreach (var model in steps.Where(s => (string?)s.GetTagItem("cluster.step") is "first" or "second"))
        {
            var stepRoute = spans.Single(s => s.OperationName == "route" && s.ParentSpanId != default && Ancestors(s, spans).Contains(model.SpanId));
            stepRoute.GetTagItem("cluster.model").ShouldBe("batched", "a model step's call goes through that model's router, inside its step's span");
        }
    }

    private static List<ActivitySpanId> Ancestors(Activity span, Activity[] trace)
    {
        var ancestors = new List<ActivitySpanId>();
        for (var parent = span.ParentSpanId; parent != default; parent = trace.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default)
        {
            ancestors.Add(parent);
        }
        return ancestors;
    }
}
