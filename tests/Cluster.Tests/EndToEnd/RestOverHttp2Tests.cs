using System.Net;
using System.Runtime.InteropServices;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// The REST API over HTTP/2 (cleartext, prior knowledge) on the gRPC listener, as docs/API.md offers it to callers that send many
/// small requests: the same answers as over HTTP/1.1, binary tensor data included.
/// </summary>
public sealed class RestOverHttp2Tests(ServingFixture serving) : IDisposable
{
    private static readonly float[] X = [1, 2, 3, 4, 0.5f, -1, 0, 2];

    private readonly HttpClient _http2 = new(new SocketsHttpHandler())
    {
        BaseAddress = new Uri($"http://127.0.0.1:{serving.Silo.GrpcPort}"),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public void Dispose() => _http2.Dispose();

    [Fact]
    public async Task TheLivenessProbeAnswersOverHttp2()
    {
        using var response = await _http2.GetAsync("/v2/health/live", TestContext.Current.CancellationToken);

        response.Version.ShouldBe(HttpVersion.Version20);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("traceparent").ShouldBeTrue();
    }

    [Fact]
    public async Task JsonInferenceGivesWhatHttp1Gives()
    {
        var body = new { inputs = new[] { Tensor("x", "FP32", [2, 4], X) } };

        var (status2, over2) = await Post(_http2, "/v2/models/demo-mlp/infer", body);
        var (status1, over1) = await Post(serving.Http, "/v2/models/demo-mlp/infer", body);

        status2.ShouldBe(HttpStatusCode.OK, over2.ToString());
        status1.ShouldBe(HttpStatusCode.OK);
        foreach (var name in new[] { "logits", "probabilities" })
        {
            Floats(Output(over2, name)).ShouldBe(Floats(Output(over1, name)));
        }
    }

    [Fact]
    public async Task BinaryTensorDataGivesWhatHttp1Gives()
    {
        const string json = """{"parameters":{"binary_data_output":true},"inputs":[{"name":"x","datatype":"FP32","shape":[2,4],"parameters":{"binary_data_size":32}}]}""";
        var input = MemoryMarshal.AsBytes(X.AsSpan()).ToArray();

        var over2 = await BinaryHttp.Send(_http2, "/v2/models/demo-mlp/infer", json, input);
        var over1 = await BinaryHttp.Send(serving.Http, "/v2/models/demo-mlp/infer", json, input);

        over2.Status.ShouldBe(HttpStatusCode.OK, over2.Json.ToString());
        over2.HeaderLength.ShouldNotBeNull();
        over2.Binary.Length.ShouldBe(48);
        over2.Binary.ShouldBe(over1.Binary);
    }

    [Fact]
    public async Task AnUnknownModelIsRefusedOverHttp2AsOverHttp1()
    {
        var (status, body) = await Post(_http2, "/v2/models/no-such-model/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], X[..4]) } });

        status.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("error").GetString()!.ShouldContain("no-such-model");
    }
}
