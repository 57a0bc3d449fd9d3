using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Inference;

namespace Cluster.Silo.Inference;

/// <summary>
/// The v2 binary tensor data extension on the wire: <c>Inference-Header-Content-Length</c> says how
/// many leading bytes of the body are JSON; tensor bytes follow it, raw and little-endian, in order.
/// </summary>
internal static class BinaryTensorData
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    /// <summary>Length of the JSON header: the header's value, or the whole body without it.</summary>
    public static int HeaderLength(HttpRequest request, int bodyLength) => DeclaredHeaderLength(request, bodyLength) ?? bodyLength;

    /// <summary>
    /// The header's value, when the request has one; checked against <paramref name="bodyLength"/>
    /// (the body's length, or its Content-Length, when known).
    /// </summary>
    public static int? DeclaredHeaderLength(HttpRequest request, long? bodyLength)
    {
        if (!request.Headers.TryGetValue(HeaderLengthHeader, out var value)) return null;
        if (!int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > bodyLength)
        {
            throw TooLong(bodyLength);
        }
        return length;
    }

    /// <summary>The error for a header length the body cannot hold.</summary>
    public static InvalidInferenceRequestException TooLong(long? bodyLength) => new(bodyLength is { } known
        ? $"{HeaderLengthHeader} must be a byte count no larger than the body ({known} bytes)."
        : $"{HeaderLengthHeader} must be a byte count no larger than the body.");

    /// <summary>
    /// Writes the JSON header, then the bytes of every output that goes binary, in output order, each
    /// straight from its output array. Only the header is buffered: its length goes in a header line.
    /// </summary>
    public static async Task WriteResponse(HttpResponse http, InferenceResponse response, Func<string, bool> binary)
    {
        using var header = new PooledBufferWriter();
        await using (var writer = new Utf8JsonWriter(header))
        {
            await InferenceResponseJsonWriter.Write(writer, response, binary);
        }
        long length = header.WrittenCount;
        foreach (var output in response.Outputs)
        {
            if (binary(output.Name)) length += output.Data.Length;
        }
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "application/octet-stream";
        http.ContentLength = length;
        http.Headers[HeaderLengthHeader] = header.WrittenCount.ToString(CultureInfo.InvariantCulture);
        await http.BodyWriter.WriteAsync(header.WrittenMemory, http.HttpContext.RequestAborted);
        foreach (var output in response.Outputs)
        {
            if (binary(output.Name)) await http.BodyWriter.WriteAsync(output.Data, http.HttpContext.RequestAborted);
        }
    }
}
