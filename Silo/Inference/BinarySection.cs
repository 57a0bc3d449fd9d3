using System.Buffers;
using System.IO.Pipelines;
using Cluster.Errors;
using Cluster.Tensors;

namespace Cluster.Silo.Inference;

/// <summary>
/// The bytes after the JSON header of a binary-extension request. Inputs claim their sizes in order
/// while the header is parsed; each claim is an array of its own, filled afterwards straight from
/// the body (an array, or the request pipe), so tensor bytes are copied once.
/// </summary>
/// <param name="length">Bytes after the header: exact when the body's length is known, else the most the body may hold.</param>
/// <param name="exact">Whether <paramref name="length"/> is the body's own (else the gateway's limit).</param>
internal sealed class BinarySection(long length, bool exact = true)
{
    private readonly List<(string Input, byte[] Bytes)> _claims = [];
    private long _claimed;

    /// <summary>Bytes no input has claimed yet.</summary>
    public long Unclaimed => length - _claimed;

    /// <summary>The array that will hold the next <paramref name="size"/> bytes, for the tensor that owns them.</summary>
    public byte[] Take(string input, long size)
    {
        if (size > Unclaimed)
        {
            throw new InvalidInferenceRequestException(exact
                ? length == 0
                    ? $"Input '{input}' claims {size} binary bytes, but the body has none after its JSON: send {BinaryTensorData.HeaderLengthHeader} with the JSON's length, and the bytes after it."
                    : $"Input '{input}' claims {size} binary bytes; only {Unclaimed} remain in the body."
                : $"Input '{input}' claims {size} binary bytes, more than a request body may hold (Gateway:MaxRequestBodyBytes).");
        }
        // Every byte is written before anyone reads it; the gateway returns the array once the request is answered.
        var bytes = TensorBuffers.Rent((int)size);
        _claims.Add((input, bytes));
        _claimed += size;
        return bytes;
    }

    /// <summary>Refuses a section whose known length holds bytes no input claimed.</summary>
    public void EnsureAllClaimed()
    {
        if (Unclaimed > 0) throw UnclaimedBytes(Unclaimed);
    }

    /// <summary>Fills the claims from <paramref name="section"/>, whose length is exactly the claimed bytes.</summary>
    public void FillFrom(ReadOnlySpan<byte> section)
    {
        foreach (var (_, bytes) in _claims)
        {
            section[..bytes.Length].CopyTo(bytes);
            section = section[bytes.Length..];
        }
    }

    /// <summary>
    /// Fills the claims from what is left of the request body, then checks that nothing follows them.
    /// A body shorter or longer than the claims is the caller's mistake, told as such.
    /// </summary>
    public async Task FillFrom(PipeReader reader, CancellationToken cancellationToken)
    {
        foreach (var (input, bytes) in _claims)
        {
            var filled = 0;
            while (filled < bytes.Length)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var take = (int)Math.Min(result.Buffer.Length, bytes.Length - filled);
                result.Buffer.Slice(0, take).CopyTo(bytes.AsSpan(filled));
                reader.AdvanceTo(result.Buffer.GetPosition(take));
                filled += take;
                if (filled < bytes.Length && result.IsCompleted)
                {
                    throw new InvalidInferenceRequestException($"Input '{input}' claims {bytes.Length} binary bytes; only {filled} remain in the body.");
                }
            }
        }
        long trailing = 0;
        while (true)
        {
            // Kestrel's MaxRequestBodySize bounds this with a 413.
            var result = await reader.ReadAsync(cancellationToken);
            trailing += result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) break;
        }
        if (trailing > 0) throw UnclaimedBytes(trailing);
    }

    private static InvalidInferenceRequestException UnclaimedBytes(long bytes) =>
        new($"The binary section has {bytes} bytes that no input claims (binary_data_size).");
}
