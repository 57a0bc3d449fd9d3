using Cluster.Protocol.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cluster.Cli.Loadtest;

/// <summary>Sends the same v2 gRPC <c>ModelInfer</c> again and again, inputs as raw contents, over one channel.</summary>
internal sealed class GrpcSender : IInferenceSender
{
    private readonly GrpcChannel _channel;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _client;
    private readonly ModelInferRequest _request;
    private readonly Metadata _headers = [];

    public GrpcSender(Uri url, string? apiKey, string model, string? version, IReadOnlyList<InputTensor> inputs)
    {
        _channel = GrpcChannel.ForAddress(url);
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
        if (!string.IsNullOrEmpty(apiKey)) _headers.Add("authorization", "Bearer " + apiKey);
        _request = new ModelInferRequest { ModelName = model, ModelVersion = version ?? "" };
        foreach (var input in inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.Datatype };
            tensor.Shape.AddRange(input.Shape);
            _request.Inputs.Add(tensor);
            _request.RawInputContents.Add(ByteString.CopyFrom(input.Raw()));
        }
    }

    public async Task SendAsync(CancellationToken cancellationToken) =>
        await _client.ModelInferAsync(_request, _headers, cancellationToken: cancellationToken);

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
