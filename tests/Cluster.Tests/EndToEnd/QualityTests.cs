using System.Net;
using Cluster.Quality;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Model quality over HTTP on the embedded default: ground truth posted for served requests, figures per version and segment.</summary>
public sealed class QualityTests(ServingFixture serving)
{
    private async Task<string> ClassifierWithQuality()
    {
        var model = $"qual-{Guid.NewGuid():N}"[..13];
        await serving.Client.UploadVersionAsync(model, "1", TestModels.Identity(TensorDataType.FP32));
        var (status, body) = await PutRaw(serving.Http, $"/api/models/{model}/config",
            """{"max_batch_size": 8, "quality": {"task": "classification", "classes": ["cat", "dog", "fish"], "segment": "region"}}""");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var quality = body.GetProperty("versions")[0].GetProperty("config").GetProperty("quality");
        (quality.GetProperty("task").GetString(), quality.GetProperty("segment").GetString(), quality.GetProperty("retention_hours").GetInt32())
            .ShouldBe(("classification", "region", 72));
        await Poll.Until(async () => (await Get(serving.Http, $"/v2/models/{model}/ready")).Status == HttpStatusCode.OK);
        return model;
    }

    private async Task<string> Infer(string model, float[] row, string? id, string? region)
    {
        object request = (id, region) switch
        {
            (null, null) => new { inputs = new[] { Tensor("input", "FP32", [1, 3], row) } },
            (null, _) => new { parameters = new { region }, inputs = new[] { Tensor("input", "FP32", [1, 3], row) } },
            _ => new { id, parameters = new { region }, inputs = new[] { Tensor("input", "FP32", [1, 3], row) } },
        };
        var (status, body) = await Post(serving.Http, $"/v2/models/{model}/infer", request);
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task AGrpcRequestsParameterNamesItsSegmentAsOverRest()
    {
        var model = await ClassifierWithQuality();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{serving.Silo.GrpcPort}");
        var grpc = new Cluster.Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = new Cluster.Protocol.V2.ModelInferRequest { ModelName = model, Id = "g-1" };
        request.Parameters["region"] = new Cluster.Protocol.V2.InferParameter { StringParam = "west" };
        var input = new Cluster.Protocol.V2.ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Contents = new() };
        input.Shape.AddRange([1, 3]);
        input.Contents.Fp32Contents.AddRange([0.1f, 0.8f, 0.1f]);
        request.Inputs.Add(input);
        await grpc.ModelInferAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var (status, result) = await PostRaw(serving.Http, $"/api/models/{model}/ground-truth", """{"labels": [{"id": "g-1", "label": "dog"}]}""");

        status.ShouldBe(HttpStatusCode.OK, result.ToString());
        result.GetProperty("matched").GetInt32().ShouldBe(1);
        var (_, quality) = await Get(serving.Http, $"/api/models/{model}/quality");
        quality.GetProperty("versions")[0].GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("segment").GetString(), s.GetProperty("accuracy").GetDouble()))
            .ShouldBe([("west", 1.0)]);
    }

    [Fact]
    public async Task GroundTruthPostedForServedRequestsGivesAccuracyPerVersionAndSegment()
    {
        var model = await ClassifierWithQuality();
        var named = await Infer(model, [0.9f, 0.05f, 0.05f], "n-1", "north");
        var generated = await Infer(model, [0.1f, 0.1f, 0.8f], null, "south");
        var third = await Infer(model, [0.2f, 0.7f, 0.1f], null, "north");

        var (status, result) = await PostRaw(serving.Http, $"/api/models/{model}/ground-truth", $$"""
            {"labels": [{"id": "{{named}}", "label": "cat"}, {"id": "{{generated}}", "label": 0}, {"id": "{{third}}", "label": "dog"},
                        {"id": "{{named}}", "label": 0}, {"id": "nobody", "label": 1}]}
            """);

        named.ShouldBe("n-1");
        generated.ShouldNotBeNullOrEmpty("a request of a model with a quality config gets an id to label it by");
        status.ShouldBe(HttpStatusCode.OK, result.ToString());
        (result.GetProperty("received").GetInt32(), result.GetProperty("matched").GetInt32(), result.GetProperty("unknown").GetInt32(),
            result.GetProperty("duplicates").GetInt32()).ShouldBe((5, 3, 1, 1));
        var (read, quality) = await Get(serving.Http, $"/api/models/{model}/quality");
        read.ShouldBe(HttpStatusCode.OK, quality.ToString());
        quality.GetProperty("window").GetString().ShouldBe("total");
        var version = quality.GetProperty("versions").EnumerateArray().Single();
        (version.GetProperty("version").GetString(), version.GetProperty("task").GetString(), version.GetProperty("labelled").GetInt64())
            .ShouldBe(("1", "classification", 3L));
        version.GetProperty("accuracy").GetDouble().ShouldBe(2.0 / 3, 1e-12);
        version.TryGetProperty("mae", out _).ShouldBeFalse("regression figures are left out of a classifier's");
        version.GetProperty("confusion").EnumerateArray().Select(c => (c.GetProperty("actual").GetInt32(), c.GetProperty("predicted").GetInt32(), c.GetProperty("count").GetInt64()))
            .ShouldBe([(0, 0, 1L), (0, 2, 1L), (1, 1, 1L)]);
        version.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["cat", "dog", "fish"]);
        version.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("segment").GetString(), s.GetProperty("labelled").GetInt64(), s.GetProperty("accuracy").GetDouble()))
            .ShouldBe([("north", 2L, 1.0), ("south", 1L, 0.0)]);

        var metrics = await Poll.For(async () => await serving.Http.GetStringAsync("/metrics"),
            text => text.Split('\n').Any(l => l.StartsWith("cluster_quality_accuracy{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"")),
            TimeSpan.FromSeconds(30));
        metrics.Split('\n').Single(l => l.StartsWith("cluster_quality_labelled{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"")).Split("} ")[1].Split(' ')[0].ShouldBe("3");

        // The .NET client joins through the same grain.
        var viaClient = await serving.Client.SendGroundTruthAsync(model, [new GroundTruthLabel(third, Class: 1), new GroundTruthLabel("nobody", Class: 0)]);
        viaClient.ShouldBe(new GroundTruthResult(2, 0, 1, 1));
        (await serving.Client.GetQualityAsync(model)).Versions.Single().Labelled.ShouldBe(3);
    }

    [Fact]
    public async Task BadBodiesTooManyLabelsAndUnknownClassNamesAre400AndAnUnknownModelIs404()
    {
        var model = await ClassifierWithQuality();
        var path = $"/api/models/{model}/ground-truth";
        var tooMany = "{\"labels\": [" + string.Join(",", Enumerable.Range(0, 10_001).Select(i => $$"""{"id": "r{{i}}", "label": 0}""")) + "]}";

        var (malformed, malformedBody) = await PostRaw(serving.Http, path, """{"labels": [{"id": "a", "label": 1}""");
        var (wrongShape, wrongShapeBody) = await PostRaw(serving.Http, path, """{"id": "a", "label": 1}""");
        var (both, bothBody) = await PostRaw(serving.Http, path, """{"labels": [{"id": "a", "label": 1, "value": 2}]}""");
        var (many, manyBody) = await PostRaw(serving.Http, path, tooMany);
        var (name, nameBody) = await PostRaw(serving.Http, path, """{"labels": [{"id": "a", "label": "cat"}, {"id": "b", "label": "zebra"}]}""");
        var (window, windowBody) = await Get(serving.Http, $"/api/models/{model}/quality?window=2h");
        var (unknownModel, _) = await PostRaw(serving.Http, "/api/models/no-such-model/ground-truth", """{"labels": []}""");

        malformed.ShouldBe(HttpStatusCode.BadRequest);
        malformedBody.GetProperty("error").GetString().ShouldStartWith("Malformed JSON");
        wrongShape.ShouldBe(HttpStatusCode.BadRequest);
        wrongShapeBody.GetProperty("error").GetString()!.ShouldContain("{\"labels\": [");
        both.ShouldBe(HttpStatusCode.BadRequest);
        bothBody.GetProperty("error").GetString().ShouldBe("labels[0] needs exactly one of 'label' and 'value'.");
        many.ShouldBe(HttpStatusCode.BadRequest);
        manyBody.GetProperty("error").GetString().ShouldBe("10001 labels in one call; at most 10000 are allowed.");
        name.ShouldBe(HttpStatusCode.BadRequest);
        nameBody.GetProperty("error").GetString().ShouldBe("labels[1]: class 'zebra' is not one of the model's classes (cat, dog, fish).");
        window.ShouldBe(HttpStatusCode.BadRequest, windowBody.ToString());
        unknownModel.ShouldBe(HttpStatusCode.NotFound);
    }
}
