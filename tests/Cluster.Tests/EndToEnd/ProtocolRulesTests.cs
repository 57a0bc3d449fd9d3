using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Modeling;
using Cluster.Tensors;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// The v2 REST inference rules (KServe Open Inference Protocol, with Triton's parameters extension),
/// one test per rule, through a plain HttpClient; docs/PROTOCOL.md lists them.
/// </summary>
public sealed class ProtocolRulesTests(ServingFixture serving)
{
    private const string X = """{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}""";

    private async Task<string> Refusal(string body, string model = "demo-mlp", HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var (actual, json) = await PostRaw(serving.Http, $"/v2/models/{model}/infer", body);
        actual.ShouldBe(status, json.ToString());
        return json.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task TheResponseEchoesTheRequestIdAndOmitsItWhenNoneWasGiven()
    {
        var (_, with) = await PostRaw(serving.Http, "/v2/models/demo-mlp/infer", $$$"""{"id":"rule-7","inputs":[{{{X}}}]}""");
        var (_, without) = await PostRaw(serving.Http, "/v2/models/demo-mlp/infer", $$$"""{"inputs":[{{{X}}}]}""");

        with.GetProperty("id").GetString().ShouldBe("rule-7");
        without.TryGetProperty("id", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task TheResponseNamesTheModelAndTheVersionThatServedNotTheLabelAsked()
    {
        var (status, body) = await PostRaw(serving.Http, "/v2/models/scale/versions/stable/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("model_name").GetString().ShouldBe("scale");
        body.GetProperty("model_version").GetString().ShouldBe("1");
    }

    [Fact]
    public async Task TheIdMustBeAString()
    {
        (await Refusal($$$"""{"id":7,"inputs":[{{{X}}}]}""")).ShouldContain("'id'");
    }

    [Fact]
    public async Task RequestedOutputsAreReturnedAloneAndInTheOrderAsked()
    {
        var (status, body) = await PostRaw(serving.Http, "/v2/models/demo-mlp/infer", $$$"""{"inputs":[{{{X}}}],"outputs":[{"name":"probabilities"}]}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ShouldBe(["probabilities"]);
    }

    [Fact]
    public async Task AnUnknownRequestedOutputIs400NamingIt()
    {
        (await Refusal($$$"""{"inputs":[{{{X}}}],"outputs":[{"name":"nope"}]}""")).ShouldContain("'nope'");
    }

    [Fact]
    public async Task AnOutputRequestedTwiceIs400NamingIt()
    {
        (await Refusal($$$"""{"inputs":[{{{X}}}],"outputs":[{"name":"logits"},{"name":"logits"}]}""")).ShouldContain("'logits'");
    }

    [Fact]
    public async Task AnUnknownFieldInARequestedOutputIs400NamingIt()
    {
        var error = await Refusal($$$"""{"inputs":[{{{X}}}],"outputs":[{"name":"logits","paramaters":{"binary_data":true}}]}""");

        error.ShouldContain("'logits'");
        error.ShouldContain("'paramaters'");
    }

    [Fact]
    public async Task AnInputGivenTwiceIs400NamingIt()
    {
        (await Refusal($$$"""{"inputs":[{{{X}}},{{{X}}}]}""")).ShouldContain("'x'");
    }

    [Fact]
    public async Task AnUnknownInputIs400NamingIt()
    {
        (await Refusal("""{"inputs":[{"name":"y","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}]}""")).ShouldContain("'y'");
    }

    [Fact]
    public async Task AMissingInputIs400NamingIt()
    {
        var model = $"two-inputs-{Guid.NewGuid():N}"[..19];
        var onnx = new OnnxGraphBuilder("add")
            .Input("a", TensorDataType.FP32, -1, 2).Input("b", TensorDataType.FP32, -1, 2)
            .Output("y", TensorDataType.FP32, -1, 2)
            .Node("Add", ["a", "b"], ["y"])
            .ToBytes();
        using var content = new ByteArrayContent(onnx);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var created = await serving.Http.PostAsync($"/api/models/{model}/versions/1", content, TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        (await Refusal("""{"inputs":[{"name":"a","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", model)).ShouldContain("'b'");
    }

    [Fact]
    public async Task AnInputsDatatypeMustBeTheModelsAndTheErrorNamesBoth()
    {
        var error = await Refusal("""{"inputs":[{"name":"x","datatype":"FP64","shape":[1,4],"data":[1,2,3,4]}]}""");

        error.ShouldContain("'x'");
        error.ShouldContain("FP64");
        error.ShouldContain("FP32");
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("[1,2,3,4,5]")]
    public async Task DataMustHoldExactlyTheShapesElementCount(string data)
    {
        (await Refusal($$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":{{{data}}}}]}""")).ShouldContain("'x'");
    }

    [Theory]
    [InlineData("[-1,4]")]
    [InlineData("[1.5,4]")]
    [InlineData("[\"1\",4]")]
    public async Task ShapeDimensionsAreNonNegativeIntegers(string shape)
    {
        (await Refusal($$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":{{{shape}}},"data":[1,2,3,4]}]}""")).ShouldContain("'x'");
    }

    [Theory]
    [InlineData("""{"parameters":{"custom":{"a":1}},"inputs":[X]}""", "'custom'")]
    [InlineData("""{"parameters":{"custom":[1]},"inputs":[X]}""", "'custom'")]
    [InlineData("""{"parameters":{"custom":null},"inputs":[X]}""", "'custom'")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4],"parameters":{"custom":{}}}]}""", "'custom'")]
    [InlineData("""{"inputs":[X],"outputs":[{"name":"logits","parameters":{"custom":[]}}]}""", "'custom'")]
    public async Task AParameterValueIsAStringNumberOrBoolean(string body, string named)
    {
        (await Refusal(body.Replace("[X]", $"[{X}]"))).ShouldContain(named);
    }

    [Fact]
    public async Task CustomParametersWithScalarValuesAreAccepted()
    {
        var (status, body) = await PostRaw(serving.Http, "/v2/models/demo-mlp/infer",
            """{"parameters":{"my_flag":true,"my_count":3,"my_name":"n"},"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4],"parameters":{"note":"a"}}],"outputs":[{"name":"logits","parameters":{"note":1.5}}]}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    [Theory]
    [InlineData("""{"parameters":{"timeout":"1000"},"inputs":[X]}""", "timeout")]
    [InlineData("""{"parameters":{"timeout":0},"inputs":[X]}""", "timeout")]
    [InlineData("""{"parameters":{"routing_key":5},"inputs":[X]}""", "routing_key")]
    public async Task ParametersWeActOnMustHaveTheirType(string body, string named)
    {
        (await Refusal(body.Replace("[X]", $"[{X}]"))).ShouldContain(named);
    }

    [Theory]
    [InlineData("""{"inputs":[X],"outputs":[{"name":"probabilities","parameters":{"classification":2}}]}""", "classification")]
    [InlineData("""{"inputs":[X],"outputs":[{"name":"logits","parameters":{"shared_memory_region":"r","shared_memory_byte_size":12}}]}""", "shared_memory_region")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"parameters":{"shared_memory_region":"r","shared_memory_byte_size":16}}]}""", "shared_memory_region")]
    [InlineData("""{"parameters":{"sequence_id":42,"sequence_start":true},"inputs":[X]}""", "sequence_")]
    public async Task ParametersOfExtensionsWeDoNotServeAre400NotIgnored(string body, string named)
    {
        var error = await Refusal(body.Replace("[X]", $"[{X}]"));

        error.ShouldContain(named);
        error.ShouldContain("extension");
    }

    [Fact]
    public async Task AnUnknownModelIs404NamingIt()
    {
        (await Refusal($$$"""{"inputs":[{{{X}}}]}""", "no-such-model", HttpStatusCode.NotFound)).ShouldContain("'no-such-model'");
    }

    [Fact]
    public async Task AnUnknownVersionIs404NamingIt()
    {
        var (status, body) = await PostRaw(serving.Http, "/v2/models/demo-mlp/versions/9/infer", $$$"""{"inputs":[{{{X}}}]}""");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("error").GetString()!.ShouldContain("'9'");
    }

    [Fact]
    public async Task AVersionThatIsNotReadyIs503WithTheReason()
    {
        (await Refusal($$$"""{"inputs":[{{{X}}}]}""", "broken", HttpStatusCode.ServiceUnavailable)).ShouldContain("failed to load");
    }

    [Fact]
    public async Task EveryErrorBodyIsAnObjectWithAnErrorString()
    {
        var (status, body) = await PostRaw(serving.Http, "/v2/models/demo-mlp/infer", "{");

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ValueKind.ShouldBe(JsonValueKind.Object);
        body.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.String);
    }
}
