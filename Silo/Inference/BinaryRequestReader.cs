using Cluster.Silo.Gateway;

namespace Cluster.Silo.Inference;

/// <summary>
/// Reads a request in the binary tensor data extension from the request pipe: the JSON header into
/// an array of its own, then each binary input straight into the array its tensor keeps. The body
/// is never gathered whole, so a 110 KB image tensor is copied once on its way in.
/// </summary>
internal static class BinaryRequestReader
{
    public static async Task<ParsedInferenceRequest> Read(HttpRequest request, int headerLength, long maxBodyLength, int maxDepth)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var header = await RequestBody.ReadPrefix(request.BodyReader, headerLength, cancellationToken)
            ?? throw BinaryTensorData.TooLong(request.ContentLength);
        // Without a Content-Length (chunked) the section's true length shows only as it is read; the limit bounds each claim meanwhile.
        var binary = new BinarySection((request.ContentLength ?? maxBodyLength) - headerLength, exact: request.ContentLength is not null);
        var parsed = InferenceRequestJsonReader.ReadHeader(header, binary, maxDepth);
        if (request.ContentLength is not null) binary.EnsureAllClaimed();
        await binary.FillFrom(request.BodyReader, cancellationToken);
        BoolInputs.EnsureZeroOrOne(parsed.Request.Inputs);
        return parsed;
    }
}
