extern alias silo;
using System.Text;
using Cluster.Errors;
using silo::Cluster.Silo.Inference;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class InferenceRequestJsonReaderTests
{
    private static Cluster.Inference.InferenceRequest Read(string json) => InferenceRequestJsonReader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void DataBeforeDatatypeAndShapeIsStillTypedCorrectly()
    {
        var request = Read("""{"inputs":[{"data":[[1,2],[3,4]],"name":"a","shape":[2,2],"datatype":"INT16"}],"id":"7","parameters":{"x":1}}""");

        request.Id.ShouldBe("7");
        var input = request.Inputs.Single();
        input.DataType.ShouldBe(TensorDataType.Int16);
        input.Shape.ShouldBe([2L, 2L]);
        input.ToArray<short>().ShouldBe([(short)1, 2, 3, 4]);
    }

    [Fact]
    public void RequestedOutputsAreRead()
    {
        var request = Read("""{"inputs":[{"name":"a","shape":[1],"datatype":"FP64","data":[0.5]}],"outputs":[{"name":"p"},{"name":"q","parameters":{}}]}""");

        request.RequestedOutputs.ShouldBe(["p", "q"]);
        request.Inputs[0].ToArray<double>().ShouldBe([0.5]);
    }

    [Fact]
    public void BytesDataIsReadFromJsonStringsFlatOrNested()
    {
        var flat = Read("""{"inputs":[{"name":"t","datatype":"BYTES","shape":[2,2],"data":["", "caf\u00e9", "🐟 \"q\"\n", "\ud83d\udc1f"]}]}""");
        var nested = Read("""{"inputs":[{"data":[["", "café"], ["🐟 \"q\"\n", "🐟"]],"name":"t","shape":[2,2],"datatype":"BYTES"}]}""");

        string[] expected = ["", "café", "🐟 \"q\"\n", "🐟"];
        flat.Inputs[0].DataType.ShouldBe(TensorDataType.Bytes);
        flat.Inputs[0].ToStrings().ShouldBe(expected);
        nested.Inputs[0].ToStrings().ShouldBe(expected);
        nested.Inputs[0].Data.ShouldBe(flat.Inputs[0].Data);
    }

    [Fact]
    public void BytesInTheBinarySectionAreTakenAsTheyAre()
    {
        var header = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"t","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":12}}]}""");
        var binary = BytesTensor.Encode(["abc"u8.ToArray(), []]).Concat(new byte[] { 0xFF }).ToArray();

        var parsed = InferenceRequestJsonReader.Read([.. header, .. binary], header.Length);

        parsed.Request.Inputs[0].Data.ShouldBe(binary);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"t","shape":[2],"datatype":"BYTES","data":["a",5]}]}""", "element 1 (5) is not a string")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"datatype":"BYTES","data":[null]}]}""", "element 0 (null) is not a string")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"datatype":"BYTES","data":[{"b64":"AA=="}]}]}""", "only strings")]
    [InlineData("""{"inputs":[{"name":"t","shape":[3],"datatype":"BYTES","data":["a","b"]}]}""", "needs 3")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"datatype":"BYTES","data":["a","b"]}]}""", "more elements")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"datatype":"BYTES","data":["\ud800"]}]}""", "not valid Unicode")]
    public void BytesMistakesBecomeClearInvalidRequestErrors(string json, string expected)
    {
        Should.Throw<InvalidInferenceRequestException>(() => Read(json)).Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData("", "Malformed JSON")]
    [InlineData("{", "Malformed JSON")]
    [InlineData("""{"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1]}]} x""", "Malformed JSON")]
    [InlineData("""{"inputs":[{"name":"a","shape":[1.5],"datatype":"FP32","data":[1]}]}""", "non-negative integers")]
    [InlineData("""{"inputs":[{"name":"a","shape":[2],"datatype":"FP32","data":[1]}]}""", "needs 2")]
    [InlineData("""{"inputs":[{"name":"a","shape":[1],"datatype":"UINT8","data":[-1]}]}""", "not a valid UINT8")]
    [InlineData("""{"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{}]}""", "no 'name'")]
    public void MistakesBecomeClearInvalidRequestErrors(string json, string expected)
    {
        var error = Should.Throw<InvalidInferenceRequestException>(() => Read(json));

        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void DeeplyNestedJsonIsRejectedNotRecursedInto()
    {
        var json = """{"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":""" + new string('[', 500) + "1" + new string(']', 500) + "}]}";

        Should.Throw<InvalidInferenceRequestException>(() => Read(json)).Message.ShouldContain("Malformed JSON");
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(7, false)]
    // The data array opens the fourth container (body, inputs, tensor, data); four arrays inside it make eight.
    public void NestedFloatDataIsHeldToTheReadersDepthLimitOnTheFastPathToo(int maxDepth, bool accepted)
    {
        var body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","datatype":"FP32","shape":[1,1,1,1,2],"data":[[[[[0.25,-0.5]]]]]}]}""");

        if (accepted) InferenceRequestJsonReader.ReadJson(body, maxDepth).Request.Inputs[0].ToArray<float>().ShouldBe([0.25f, -0.5f]);
        else Should.Throw<InvalidInferenceRequestException>(() => InferenceRequestJsonReader.ReadJson(body, maxDepth)).Message.ShouldContain("Malformed JSON");
    }

    [Fact]
    public void ALargeTensorReadTheGeneralWayGoesIntoALentArrayToo()
    {
        // "NaN" strings send the array to the general reader; 25,000 FP32 elements are 100 KB, past the large-object threshold.
        var data = string.Join(",", Enumerable.Range(0, 25_000).Select(i => i % 1000 == 0 ? "\"NaN\"" : "0.5"));
        var request = Read($$"""{"inputs":[{"name":"a","datatype":"FP32","shape":[25000],"data":[{{data}}]}]}""");

        TensorBuffers.IsLent(request.Inputs[0].Data).ShouldBeTrue();
        var values = request.Inputs[0].ToArray<float>();
        values.Count(float.IsNaN).ShouldBe(25);
        values.Count(v => v == 0.5f).ShouldBe(24_975);
        TensorBuffers.Return(request.Inputs);
    }

    [Fact]
    public void FlatFloatArraysReadStraightFromTheBytesEqualWhatTheGeneralReaderGives()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 500).Select(i => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 8)))).ToArray();
        string[] formats = ["R", "G6", "E4", "F3"];
        var texts = values.Select((v, i) => v.ToString(formats[i % formats.Length], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var expected = texts.Select(t => (float)double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var flat = string.Join(" ,\n ", texts);
        // The second input is nested: both must come out right, and so must what follows them.
        var nested = "[" + string.Join(",", texts.Chunk(100).Select(c => "[" + string.Join(",", c) + "]")) + "]";
        var request = Read($$$"""{"id":"x","inputs":[{"name":"a","datatype":"FP32","shape":[500],"data":[ {{{flat}}} ]},{"name":"b","datatype":"FP32","shape":[5,100],"data":{{{nested}}}},{"name":"c","datatype":"FP64","shape":[2],"data":[1e-7,-0]}],"outputs":[{"name":"y"}],"parameters":{"routing_key":"k"}}""");

        request.Inputs[0].ToArray<float>().ShouldBe(expected);
        request.Inputs[1].ToArray<float>().ShouldBe(expected);
        request.Inputs[2].ToArray<double>().ShouldBe([1e-7, -0.0]);
        request.RequestedOutputs.ShouldBe(["y"]);
        request.RoutingKey.ShouldBe("k");
        request.Id.ShouldBe("x");
    }

    [Fact]
    public void RequestParametersTheGatewayDoesNotActOnAreKeptAsTextForTheModelsQualityConfig()
    {
        var input = """{"name":"x","datatype":"FP32","shape":[1],"data":[1]}""";
        var request = Read($$"""{"parameters":{"routing_key":"k","segment":"eu","tier":3,"trial":true,"score":-1.5e2},"inputs":[{{input}}]}""");
        var plain = Read($$"""{"parameters":{"routing_key":"k"},"inputs":[{{input}}]}""");

        request.Parameters!.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ShouldBe([("score", "-1.5e2"), ("segment", "eu"), ("tier", "3"), ("trial", "true")]);
        plain.Parameters.ShouldBeNull("a request without such parameters allocates nothing for them");
    }

    [Theory]
    [InlineData("""[01, 2]""", "leading zero")]
    [InlineData("""[1, 2,]""", "Malformed JSON")]
    [InlineData("""[1 2]""", "Malformed JSON")]
    [InlineData("""[1, 2, 3]""", "more elements")]
    [InlineData("""[1]""", "needs 2")]
    [InlineData("""[1, "x"]""", "not a valid FP32")]
    [InlineData("""[1, 1e39]""", "not a valid FP32")]
    [InlineData("""[+1, 2]""", "Malformed JSON")]
    public void FlatArraysTheFastPathRefusesStillGetTheGeneralErrors(string data, string expected)
    {
        var json = """{"inputs":[{"name":"a","datatype":"FP32","shape":[2],"data":""" + data + "}]}";

        Should.Throw<InvalidInferenceRequestException>(() => Read(json)).Message.ShouldContain(expected);
    }

    [Fact]
    public void NonFiniteStringsAndFlatArraysMix()
    {
        var request = Read("""{"inputs":[{"name":"a","datatype":"FP32","shape":[3],"data":[1.5,"NaN",-2]}]}""");

        var values = request.Inputs[0].ToArray<float>();
        values[0].ShouldBe(1.5f);
        float.IsNaN(values[1]).ShouldBeTrue();
        values[2].ShouldBe(-2f);
    }
}
