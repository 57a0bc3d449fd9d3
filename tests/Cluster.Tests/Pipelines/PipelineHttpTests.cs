using System.Net;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.Pipelines;

/// <summary>Pipelines from the repository folder, served by a silo process at the normal v2 endpoints.</summary>
public sealed class PipelineHttpTests(PipelineSiloFixture silo) : IClassFixture<PipelineSiloFixture>
{
    private static object Request(float[] x) => new { inputs = new[] { Tensor("x", "FP32", [x.Length / 4, 4], x) } };

    [Fact]
    public async Task APipelinesMetadataHasItsOwnInputsAndOutputsOnTheEnsemblePlatform()
    {
        var (status, body) = await Get(silo.Http, "/v2/models/cascade");
        var (readyStatus, _) = await Get(silo.Http, "/v2/models/cascade/ready");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("platform").GetString().ShouldBe("ensemble");
        var input = body.GetProperty("inputs").EnumerateArray().Single();
        (input.GetProperty("name").GetString(), input.GetProperty("datatype").GetString()).ShouldBe(("x", "FP32"));
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([-1L, 4L]);
        var output = body.GetProperty("outputs").EnumerateArray().Single();
        output.GetProperty("name").GetString().ShouldBe("probabilities");
        output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([-1L, 3L]);
        body.GetProperty("parameters").GetProperty("execution_provider").GetString().ShouldBe("pipeline");
        readyStatus.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACascadeOverRestAnswersAsOnnxRuntimeDoesForTheBranchItTakes()
    {
        float[] confident = [1.8f, -1.2f, 0.6f, 2.4f];
        float[] uncertain = [0.15f, -0.1f, 0.05f, 0.2f];
        var fromSmall = DirectOnnx.RunFloat(silo.SmallPath, "x", confident, [1, 4])["probabilities"];
        var uncertainFromSmall = DirectOnnx.RunFloat(silo.SmallPath, "x", uncertain, [1, 4])["probabilities"];
        (fromSmall.Max() >= 0.8f && uncertainFromSmall.Max() < 0.8f).ShouldBeTrue("the inputs must take one branch each");

        var (sureStatus, sure) = await Post(silo.Http, "/v2/models/cascade/infer", Request(confident));
        var (unsureStatus, unsure) = await Post(silo.Http, "/v2/models/cascade/infer", Request(uncertain));

        sureStatus.ShouldBe(HttpStatusCode.OK, sure.ToString());
        Floats(Output(sure, "probabilities")).ShouldBe(fromSmall, tolerance: 1e-6f);
        unsureStatus.ShouldBe(HttpStatusCode.OK, unsure.ToString());
        Floats(Output(unsure, "probabilities")).ShouldBe(DirectOnnx.RunFloat(silo.LargePath, "x", uncertain, [1, 4])["probabilities"], tolerance: 1e-6f);
        sure.GetProperty("model_name").GetString().ShouldBe("cascade");
        // The pipeline counts its own requests (pushed about once a second); its batching is its steps'.
        var stats = await Poll.For(async () => (await Get(silo.Http, "/v2/models/cascade/stats")).Body, s => s.GetProperty("model_stats")[0].GetProperty("execution_count").GetInt64() >= 2, TimeSpan.FromSeconds(15));
        stats.GetProperty("model_stats")[0].GetProperty("batching").GetProperty("mode").GetString().ShouldBe("pipeline");
    }

    [Fact]
    public async Task TheRepositoryIndexListsPipelinesAndSaysWhyOneIsNotReady()
    {
        var (status, index) = await Post(silo.Http, "/v2/repository/index", new { });
        var (readyStatus, _) = await Get(silo.Http, "/v2/models/orphaned/ready");
        var (inferStatus, error) = await Post(silo.Http, "/v2/models/orphaned/infer", Request([1f, 2f, 3f, 4f]));

        status.ShouldBe(HttpStatusCode.OK);
        var entries = index.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
        entries["cascade"].GetProperty("state").GetString().ShouldBe("READY");
        entries["ensemble"].GetProperty("state").GetString().ShouldBe("READY");
        entries["orphaned"].GetProperty("state").GetString().ShouldBe("UNAVAILABLE");
        entries["orphaned"].GetProperty("reason").GetString().ShouldBe("pipeline: step 's' calls unknown model 'nobody-has-this'.");
        readyStatus.ShouldBe(HttpStatusCode.ServiceUnavailable);
        inferStatus.ShouldBe(HttpStatusCode.ServiceUnavailable);
        error.GetProperty("error").GetString()!.ShouldContain("unknown model 'nobody-has-this'");
    }

    [Fact]
    public async Task ARequestThatDoesNotFitThePipelinesInputsIsA400AndThePipelineKeepsServing()
    {
        var (status, error) = await Post(silo.Http, "/v2/models/ensemble/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 3], new[] { 1f, 2f, 3f }) } });
        var (okStatus, ok) = await Post(silo.Http, "/v2/models/ensemble/infer", Request([1f, 2f, 3f, 4f]));

        status.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString()!.ShouldContain("Input 'x' has shape [1,3]; the model expects [-1,4]");
        okStatus.ShouldBe(HttpStatusCode.OK, ok.ToString());
    }

    [Fact]
    public async Task APipelineUploadedThroughTheManagementApiServesAtOnce()
    {
        var (status, body) = await PostRaw(silo.Http, "/api/models/uploaded-cascade/versions/1", PipelineSiloFixture.Cascade);
        float[] x = [0.15f, -0.1f, 0.05f, 0.2f];

        status.ShouldBe(HttpStatusCode.Created, body.ToString());
        body.GetProperty("status").GetString()!.ToUpperInvariant().ShouldBe("READY");
        var (inferStatus, answer) = await Post(silo.Http, "/v2/models/uploaded-cascade/infer", Request(x));
        inferStatus.ShouldBe(HttpStatusCode.OK, answer.ToString());
        Floats(Output(answer, "probabilities")).ShouldBe(DirectOnnx.RunFloat(silo.LargePath, "x", x, [1, 4])["probabilities"], tolerance: 1e-6f);
    }

    [Fact]
    public async Task AnUploadedPipelineThatDoesNotValidateIsRefusedWithItsReason()
    {
        var (status, body) = await PostRaw(silo.Http, "/api/models/bad-pipeline/versions/1", """{"inputs": ["x"], "steps": [], "outputs": {"y": "a.b"}}""");
        var (metadataStatus, _) = await Get(silo.Http, "/v2/models/bad-pipeline");

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetString()!.ShouldContain("'steps' is empty");
        metadataStatus.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheDotNetClientUploadsAPipelineAndInfersThroughIt()
    {
        float[] x = [1.8f, -1.2f, 0.6f, 2.4f, 0.15f, -0.1f, 0.05f, 0.2f];

        var info = await silo.Client.UploadPipelineAsync("client-ensemble", "1", """
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "small", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "large", "inputs": {"x": "pipeline.x"}},
              {"name": "weighted", "combine": "weighted_average", "from": ["a.probabilities", "b.probabilities"], "weights": [3, 1]}
            ], "outputs": {"p": "weighted.output"}}
            """, label: "live");
        var response = await silo.Client.InferAsync("client-ensemble", [Cluster.Tensors.TensorData.From<float>("x", x, 2, 4)], version: "live");

        info.Status.ShouldBe(Cluster.Models.VersionStatus.Ready, info.Reason);
        var a = DirectOnnx.RunFloat(silo.SmallPath, "x", x, [2, 4])["probabilities"];
        var b = DirectOnnx.RunFloat(silo.LargePath, "x", x, [2, 4])["probabilities"];
        response.Output("p").ToArray<float>().ShouldBe([.. a.Select((v, i) => (3 * v + b[i]) / 4)], tolerance: 1e-6f);
    }
}
