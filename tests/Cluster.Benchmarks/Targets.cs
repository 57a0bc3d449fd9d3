using System.Diagnostics;
using System.Net.Http.Headers;
using Cluster.Client;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>The ways a request is made: ONNX Runtime in-process (the ceiling), the .NET client, HTTP JSON, HTTP binary, gRPC.</summary>
internal static class Targets
{
    public static Action<int> Raw(InferenceSession session, BenchModel model)
    {
        var values = model.Samples.Select(s => OrtValue.CreateTensorValueFromMemory(s, model.Shape)).ToArray();
        var outputs = session.OutputNames.ToArray();
        // One RunOptions held by the closure: made inline per call, the finalizer could free it while ONNX Runtime
        // still reads it (seen as 'Invalid run log severity level' under load); the silo keeps one per session too.
        var runOptions = new RunOptions();
        return i =>
        {
            using var results = session.Run(runOptions, [model.Input], [values[i % values.Length]], outputs);
        };
    }

    public static Func<int, Task> Client(InferenceClient client, BenchModel model, string mode) =>
        i => client.InferAsync(model.Served(mode), [model.Tensors[i % model.Tensors.Length]]);

    /// <param name="unsampled">Send a W3C <c>traceparent</c> whose sampled flag is off, as a caller that records no trace would.</param>
    public static Func<int, Task> HttpBinary(HttpClient http, BenchModel model, string mode, bool unsampled = false)
    {
        var path = $"/v2/models/{model.Served(mode)}/infer";
        return async i =>
        {
            using var content = new ByteArrayContent(model.BinaryBodies[i % model.BinaryBodies.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.Add("Inference-Header-Content-Length", model.BinaryHeaderLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // A request made by hand takes HTTP/1.1 unless told; the client's defaults say which version it speaks.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content, Version = http.DefaultRequestVersion, VersionPolicy = http.DefaultVersionPolicy };
            if (unsampled) request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00");
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} from {path}");
        };
    }

    public static Func<int, Task> Grpc(Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient grpc, BenchModel model, string mode)
    {
        var requests = model.Tensors.Select(tensor =>
        {
            var request = new Protocol.V2.ModelInferRequest { ModelName = model.Served(mode) };
            var input = new Protocol.V2.ModelInferRequest.Types.InferInputTensor { Name = tensor.Name, Datatype = "FP32" };
            input.Shape.AddRange(tensor.Shape);
            request.Inputs.Add(input);
            request.RawInputContents.Add(Google.Protobuf.ByteString.CopyFrom(tensor.Data));
            return request;
        }).ToArray();
        return async i => await grpc.ModelInferAsync(requests[i % requests.Length]);
    }

    public static Func<int, Task> Http(HttpClient http, BenchModel model, string mode, byte[][]? bodies = null)
    {
        var path = $"/v2/models/{model.Served(mode)}/infer";
        var sent = bodies ?? model.Bodies;
        return async i =>
        {
            using var content = new ByteArrayContent(sent[i % sent.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(path, content);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} from {path}");
        };
    }

    /// <summary>
    /// The liveness probe over HTTP: Kestrel, the middleware and routing every request passes, with no body, no grain call and
    /// no inference, so its silo CPU per request is the floor under any HTTP inference figure.
    /// </summary>
    public static Func<int, Task> HttpLive(HttpClient http) => async _ =>
    {
        using var response = await http.GetAsync("/v2/health/live");
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} from /v2/health/live");
    };

    /// <summary>The liveness probe over gRPC (<c>ServerLive</c>): the floor under any gRPC inference figure, as <see cref="HttpLive"/> is for HTTP.</summary>
    public static Func<int, Task> GrpcLive(Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient grpc) =>
        async _ => await grpc.ServerLiveAsync(new Protocol.V2.ServerLiveRequest());
}
