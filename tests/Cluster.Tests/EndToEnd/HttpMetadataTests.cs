using System.Net;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class HttpMetadataTests(ServingFixture serving)
{
    [Fact]
    public async Task HealthEndpointsReportLiveAndReady()
    {
        var (liveStatus, live) = await Get(serving.Http, "/v2/health/live");
        var (readyStatus, ready) = await Get(serving.Http, "/v2/health/ready");

        liveStatus.ShouldBe(HttpStatusCode.OK);
        live.GetProperty("live").GetBoolean().ShouldBeTrue();
        readyStatus.ShouldBe(HttpStatusCode.OK);
        ready.GetProperty("ready").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task ServerMetadataNamesTheServerAndItsExtensions()
    {
        var (status, body) = await Get(serving.Http, "/v2");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("name").GetString().ShouldBe("cluster");
        body.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("extensions").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Array);
    }

    [Fact]
    public async Task ModelMetadataIsReadFromThePaddleOcrSession()
    {
        var (status, body) = await Get(serving.Http, "/v2/models/paddle-cls");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("name").GetString().ShouldBe("paddle-cls");
        body.GetProperty("platform").GetString().ShouldBe("onnxruntime_onnx");
        body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ShouldBe(["1"]);
        var input = body.GetProperty("inputs").EnumerateArray().Single();
        input.GetProperty("name").GetString().ShouldBe("x");
        input.GetProperty("datatype").GetString().ShouldBe("FP32");
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([-1L, 3L, -1L, -1L]); // the classifier declares dynamic height and width
        var output = body.GetProperty("outputs").EnumerateArray().Single();
        output.GetProperty("datatype").GetString().ShouldBe("FP32");
        output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([-1L, 2L]);
        var parameters = body.GetProperty("parameters");
        parameters.GetProperty("execution_provider").GetString().ShouldBe("CPUExecutionProvider");
        parameters.GetProperty("max_batch_size").GetInt32().ShouldBe(8);
    }

    [Fact]
    public async Task VersionMetadataAndReadinessDescribeTheNamedVersion()
    {
        var (status, body) = await Get(serving.Http, "/v2/models/scale/versions/1");
        var (readyStatus, ready) = await Get(serving.Http, "/v2/models/scale/versions/2/ready");
        var (modelReadyStatus, _) = await Get(serving.Http, "/v2/models/demo-mlp/ready");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ShouldBe(["1", "2"]);
        body.GetProperty("parameters").GetProperty("version").GetString().ShouldBe("1");
        body.GetProperty("parameters").GetProperty("default_version").GetString().ShouldBe("2");
        readyStatus.ShouldBe(HttpStatusCode.OK);
        ready.GetProperty("ready").GetBoolean().ShouldBeTrue();
        modelReadyStatus.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AModelThatFailedToLoadIsReportedNotReadyWithItsReason()
    {
        var (readyStatus, ready) = await Get(serving.Http, "/v2/models/broken/ready");
        var (metadataStatus, metadata) = await Get(serving.Http, "/v2/models/broken");

        readyStatus.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ready.GetProperty("ready").GetBoolean().ShouldBeFalse();
        metadataStatus.ShouldBe(HttpStatusCode.OK);
        metadata.GetProperty("parameters").GetProperty("state").GetString().ShouldBe("FAILED");
        metadata.GetProperty("parameters").GetProperty("reason").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task UnknownModelsAndVersionsAre404()
    {
        (await Get(serving.Http, "/v2/models/nope")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Get(serving.Http, "/v2/models/demo-mlp/versions/9")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Get(serving.Http, "/v2/models/nope/ready")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
