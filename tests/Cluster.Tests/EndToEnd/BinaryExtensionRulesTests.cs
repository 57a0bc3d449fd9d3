using System.Net;
using System.Runtime.InteropServices;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.BinaryHttp;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// The rules of Triton's binary tensor data extension (docs/protocol/extension_binary_data.md), one
/// test per rule, through a plain HttpClient; docs/PROTOCOL.md lists them.
/// </summary>
public sealed class BinaryExtensionRulesTests(ServingFixture serving)
{
    private const string Path = "/v2/models/demo-mlp/infer";
    private const string JsonInput = """{"name":"x","datatype":"FP32","shape":[2,4],"data":[1,2,3,4,0.5,-1,0,2]}""";
    private static readonly byte[] X = MemoryMarshal.AsBytes<float>([1, 2, 3, 4, 0.5f, -1, 0, 2]).ToArray();

    private Task<Answer> Json(string json) => Send(serving.Http, Path, json, []);

    [Fact]
    public async Task AnOutputsBinaryDataFalseWinsOverBinaryDataOutputTrue()
    {
        var answer = await Json($$$"""{"parameters":{"binary_data_output":true},"inputs":[{{{JsonInput}}}],"outputs":[{"name":"logits","parameters":{"binary_data":false}},{"name":"probabilities"}]}""");

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Json.ToString());
        answer.Output("logits").GetProperty("data").GetArrayLength().ShouldBe(6);
        answer.Output("logits").TryGetProperty("parameters", out _).ShouldBeFalse();
        answer.Output("probabilities").GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(24);
        answer.Binary.Length.ShouldBe(24);
    }

    [Fact]
    public async Task AnOutputsBinaryDataTrueWinsOverBinaryDataOutputFalse()
    {
        var answer = await Json($$$"""{"parameters":{"binary_data_output":false},"inputs":[{{{JsonInput}}}],"outputs":[{"name":"logits"},{"name":"probabilities","parameters":{"binary_data":true}}]}""");

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Json.ToString());
        answer.Output("logits").GetProperty("data").GetArrayLength().ShouldBe(6);
        answer.Output("probabilities").GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(24);
        answer.Binary.Length.ShouldBe(24);
    }

    [Fact]
    public async Task BinaryDataOutputAppliesToEveryOutputThatSetsNothing()
    {
        var listed = await Json($$$"""{"parameters":{"binary_data_output":true},"inputs":[{{{JsonInput}}}],"outputs":[{"name":"logits"},{"name":"probabilities","parameters":{}}]}""");
        var unlisted = await Json($$$"""{"parameters":{"binary_data_output":true},"inputs":[{{{JsonInput}}}]}""");

        foreach (var answer in new[] { listed, unlisted })
        {
            answer.Status.ShouldBe(HttpStatusCode.OK, answer.Json.ToString());
            foreach (var output in answer.Json.GetProperty("outputs").EnumerateArray())
            {
                output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32().ShouldBe(24);
                output.TryGetProperty("data", out _).ShouldBeFalse();
            }
            answer.Binary.Length.ShouldBe(48);
        }
    }

    [Fact]
    public async Task AResponseWithoutBinaryOutputsIsPlainJsonWithoutTheHeader()
    {
        var answer = await Json($$$"""{"parameters":{"binary_data_output":true},"inputs":[{{{JsonInput}}}],"outputs":[{"name":"logits","parameters":{"binary_data":false}}]}""");

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Json.ToString());
        answer.ContentType.ShouldBe("application/json");
        answer.HeaderLength.ShouldBeNull();
        answer.Binary.ShouldBeEmpty();
        answer.Output("logits").TryGetProperty("parameters", out _).ShouldBeFalse("no binary_data_size on a JSON output");
        answer.Output("logits").GetProperty("data").GetArrayLength().ShouldBe(6);
    }

    [Fact]
    public async Task ABinaryResponseGivesItsJsonLengthAndEachBinaryOutputsSizeInOrder()
    {
        var answer = await Send(serving.Http, Path,
            """{"parameters":{"binary_data_output":true},"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}],"outputs":[{"name":"probabilities"},{"name":"logits"}]}""", X);

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Json.ToString());
        answer.ContentType.ShouldBe("application/octet-stream");
        answer.HeaderLength.ShouldNotBeNull();
        var sizes = answer.Json.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("parameters").GetProperty("binary_data_size").GetInt64()).ToArray();
        answer.ContentLength.ShouldBe(answer.HeaderLength + sizes.Sum(), "Content-Length is the JSON and every binary output, nothing else");
        answer.Json.GetProperty("outputs")[0].GetProperty("name").GetString().ShouldBe("probabilities");
        MemoryMarshal.Cast<byte, float>(answer.Binary.AsSpan(0, 24)).ToArray().Sum().ShouldBe(2f, 1e-5f, "probabilities come first, as requested: rows sum to 1");
    }

    [Fact]
    public async Task AnInputWithBothDataAndBinaryDataSizeIs400NamingIt()
    {
        var answer = await Send(serving.Http, Path,
            """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"data":[1,2,3,4,5,6,7,8],"parameters":{"binary_data_size":32}}]}""", X);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain("'x'");
        answer.Error.ShouldContain("binary_data_size");
    }

    [Fact]
    public async Task AnInputWithNeitherDataNorBinaryDataSizeIs400NamingIt()
    {
        var answer = await Json("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4]}]}""");

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain("'x'");
        answer.Error.ShouldContain("'data'");
    }

    [Fact]
    public async Task ABinaryInputWithoutTheHeaderLengthIs400NamingTheHeader()
    {
        var answer = await Send(serving.Http, Path, """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""", [], headerLength: null);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain("'x'");
        answer.Error.ShouldContain(HeaderLength);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("12.5")]
    [InlineData("99999999999")]
    public async Task TheHeaderLengthMustBeANonNegativeInteger(string value)
    {
        var answer = await Send(serving.Http, Path, $$$"""{"inputs":[{{{JsonInput}}}]}""", [], headerLength: value);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain(HeaderLength);
    }

    [Fact]
    public async Task TheHeaderLengthMustNotExceedTheBody()
    {
        var answer = await Send(serving.Http, Path, """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""", X, headerLength: "100000");

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain(HeaderLength);
    }

    [Theory]
    [InlineData(16, "only 16 remain")]
    [InlineData(40, "8 bytes that no input claims")]
    public async Task BinarySizesMustSumExactlyToTheBodyAfterTheJson(int sent, string reason)
    {
        var answer = await Send(serving.Http, Path, """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""", new byte[sent]);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain(reason);
    }

    [Fact]
    public async Task ABinaryDataSizeMustBeTheShapesElementCountTimesTheElementSize()
    {
        var answer = await Send(serving.Http, Path, """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":28}}]}""", X[..28]);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain("'x'");
        answer.Error.ShouldContain("needs 32");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"32\"")]
    [InlineData("3.5")]
    public async Task ABinaryDataSizeMustBeANonNegativeInteger(string size)
    {
        var answer = await Send(serving.Http, Path, $$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":{{{size}}}}}]}""", X);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain("'x'");
        answer.Error.ShouldContain("binary_data_size");
    }

    [Theory]
    [InlineData("""{"parameters":{"binary_data_output":1},"inputs":[INPUT]}""", "binary_data_output")]
    [InlineData("""{"inputs":[INPUT],"outputs":[{"name":"logits","parameters":{"binary_data":"yes"}}]}""", "outputs[logits].parameters.binary_data")]
    public async Task BinaryDataAndBinaryDataOutputMustBeBooleans(string json, string field)
    {
        var answer = await Json(json.Replace("INPUT", JsonInput));

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain(field);
    }

    [Fact]
    public async Task ABinaryBoolElementIsTheByteZeroOrOne()
    {
        var path = $"/v2/models/{TestModels.IdentityName(TensorDataType.Bool)}/infer";
        const string header = """{"inputs":[{"name":"input","datatype":"BOOL","shape":[1,3],"parameters":{"binary_data_size":3}}]}""";

        var bad = await Send(serving.Http, path, header, [1, 0, 2]);
        var good = await Send(serving.Http, path, header, [1, 0, 1]);

        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Error.ShouldContain("'input'");
        bad.Error.ShouldContain("element 2");
        good.Status.ShouldBe(HttpStatusCode.OK, good.Json.ToString());
    }

    [Fact]
    public async Task BinaryBytesElementsAreLengthPrefixedAndFillTheirSizeExactly()
    {
        // Two elements of "ab": a prefix claiming 9 bytes where 2 follow.
        byte[] data = [2, 0, 0, 0, (byte)'a', (byte)'b', 9, 0, 0, 0, (byte)'a', (byte)'b'];
        var answer = await Send(serving.Http, "/v2/models/strings/infer", """{"inputs":[{"name":"text","datatype":"BYTES","shape":[1,2],"parameters":{"binary_data_size":12}}]}""", data);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Error.ShouldContain("'text'");
    }
}
