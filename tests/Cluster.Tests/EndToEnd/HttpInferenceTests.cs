using System.Net;
using Cluster.Modeling;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class HttpInferenceTests(ServingFixture serving)
{
    [Fact]
    public async Task DemoModelServedOverHttpEqualsDirectOnnxRuntimeAndTheHandComputation()
    {
        float[] x = [1, 2, 3, 4, 0.5f, -1, 0, 2, -3, 0.25f, 7, -0.5f];
        var (status, body) = await Post(serving.Http, "/v2/models/demo-mlp/infer", new
        {
            id = "req-1",
            inputs = new[] { Tensor("x", "FP32", [3, 4], x) },
        });

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("id").GetString().ShouldBe("req-1");
        body.GetProperty("model_name").GetString().ShouldBe("demo-mlp");
        body.GetProperty("model_version").GetString().ShouldBe("1");
        var direct = DirectOnnx.RunFloat(serving.DemoPath, "x", x, [3, 4]);
        var (logits, probabilities) = DemoMlp.Compute(x);
        foreach (var (name, reference) in new[] { ("logits", logits), ("probabilities", probabilities) })
        {
            var output = Output(body, name);
            output.GetProperty("datatype").GetString().ShouldBe("FP32");
            output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([3L, 3L]);
            DirectOnnx.MaxAbsDiff(direct[name], Floats(output)).ShouldBeLessThanOrEqualTo(1e-5f);
            DirectOnnx.MaxAbsDiff(reference, Floats(output)).ShouldBeLessThanOrEqualTo(1e-4f);
        }
    }

    [Fact]
    public async Task NestedDataIsAcceptedAndOutputSelectionIsHonoured()
    {
        var (status, body) = await Post(serving.Http, "/v2/models/demo-mlp/versions/1/infer", new
        {
            inputs = new[] { Tensor("x", "FP32", [2, 4], new[] { new[] { 1f, 2, 3, 4 }, new[] { 4f, 3, 2, 1 } }) },
            outputs = new[] { new { name = "probabilities" } },
        });

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var outputs = body.GetProperty("outputs").EnumerateArray().ToArray();
        outputs.Length.ShouldBe(1);
        outputs[0].GetProperty("name").GetString().ShouldBe("probabilities");
        var expected = DemoMlp.Compute([1, 2, 3, 4, 4, 3, 2, 1]).Probabilities;
        DirectOnnx.MaxAbsDiff(expected, Floats(outputs[0])).ShouldBeLessThanOrEqualTo(1e-5f);
        body.TryGetProperty("id", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task PaddleOcrClassifierServedOverHttpEqualsDirectOnnxRuntime()
    {
        const int rows = 2;
        var x = PaddleOcrClassifier.SampleInput(rows, seed: 7);
        long[] shape = [rows, PaddleOcrClassifier.Channels, PaddleOcrClassifier.Height, PaddleOcrClassifier.Width];
        var (status, body) = await Post(serving.Http, "/v2/models/paddle-cls/infer", new { inputs = new[] { Tensor("x", "FP32", shape, x) } });

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var direct = DirectOnnx.RunFloat(serving.PaddlePath, "x", x, shape);
        var output = body.GetProperty("outputs")[0];
        output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([(long)rows, 2L]);
        DirectOnnx.MaxAbsDiff(direct.Values.Single(), Floats(output)).ShouldBeLessThanOrEqualTo(1e-5f);
    }

    [Theory]
    [InlineData("BOOL", "[true,false,true,false,false,true]")]
    [InlineData("UINT8", "[0,1,255,7,8,9]")]
    [InlineData("UINT16", "[0,1,65535,7,8,9]")]
    [InlineData("UINT32", "[0,1,4294967295,7,8,9]")]
    [InlineData("UINT64", "[0,1,18446744073709551615,7,8,9]")]
    [InlineData("INT8", "[-128,1,127,-7,8,9]")]
    [InlineData("INT16", "[-32768,1,32767,-7,8,9]")]
    [InlineData("INT32", "[-2147483648,1,2147483647,-7,8,9]")]
    [InlineData("INT64", "[-9223372036854775808,1,9223372036854775807,-7,8,9]")]
    [InlineData("FP16", "[0.5,-2,1024,0.25,-0.125,65504]")]
    [InlineData("FP32", "[0.1,-2.5,3.4028235E+38,1E-07,\"NaN\",\"-Infinity\"]")]
    [InlineData("FP64", "[0.1,-2.5,1.7976931348623157E+308,1E-300,\"Infinity\",42]")]
    public async Task EveryJsonDatatypeRoundTripsExactlyThroughAnIdentityModel(string datatype, string data)
    {
        var model = "identity-" + datatype.ToLowerInvariant();
        var (status, body) = await PostRaw(serving.Http, $"/v2/models/{model}/infer",
            $$"""{"inputs":[{"name":"input","datatype":"{{datatype}}","shape":[2,3],"data":{{data}}}]}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var output = body.GetProperty("outputs")[0];
        output.GetProperty("datatype").GetString().ShouldBe(datatype);
        output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([2L, 3L]);
        output.GetProperty("data").GetRawText().ShouldBe(System.Text.Json.JsonDocument.Parse(data).RootElement.GetRawText().Replace(" ", ""));
    }

    [Fact]
    public async Task Fp32DataPrintedAsDoublesComesBackAsEachNumbersNearestDoubleMadeFp32()
    {
        // As Python's json writes a float32 array (widened to double, up to 17 digits), and doubles no float holds, of every magnitude.
        var random = new Random(5);
        var texts = Enumerable.Range(0, 192).Select(i =>
        {
            var value = (random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-30, 30));
            return (i % 2 == 0 ? (double)(float)value : value).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }).ToArray();

        var (status, body) = await PostRaw(serving.Http, "/v2/models/identity-fp32/infer",
            $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[64,3],"data":[{{string.Join(",", texts)}}]}]}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var served = body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => BitConverter.SingleToInt32Bits(e.GetSingle())).ToArray();
        served.ShouldBe(texts.Select(t => BitConverter.SingleToInt32Bits((float)double.Parse(t, System.Globalization.CultureInfo.InvariantCulture))).ToArray());
    }

    [Fact]
    public async Task FixedBatchModelServesItsSingleRow()
    {
        var (status, body) = await Post(serving.Http, "/v2/models/fixed-batch/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 3], new[] { -1f, 0, 2.5f }) } });

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        Floats(body.GetProperty("outputs")[0]).ShouldBe([0f, 0f, 2.5f]);
    }

    [Fact]
    public async Task DefaultVersionIsTheHighestAndVersionsAndLabelsCanBeNamed()
    {
        var request = new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, -2f }) } };

        var (_, byDefault) = await Post(serving.Http, "/v2/models/scale/infer", request);
        var (_, first) = await Post(serving.Http, "/v2/models/scale/versions/1/infer", request);
        var (_, stable) = await Post(serving.Http, "/v2/models/scale/versions/stable/infer", request);

        byDefault.GetProperty("model_version").GetString().ShouldBe("2");
        Floats(byDefault.GetProperty("outputs")[0]).ShouldBe([3f, -6f]);
        first.GetProperty("model_version").GetString().ShouldBe("1");
        Floats(first.GetProperty("outputs")[0]).ShouldBe([2f, -4f]);
        stable.GetProperty("model_version").GetString().ShouldBe("1");
    }
}
