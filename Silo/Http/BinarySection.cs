using Cluster.Errors;

namespace Cluster.Silo.Http;

/// <summary>The bytes after the JSON header of a binary-extension request, handed to inputs in order.</summary>
internal sealed class BinarySection(byte[] body, int start)
{
    private int _offset = start;

    public int Remaining => body.Length - _offset;

    /// <summary>The next <paramref name="size"/> bytes, copied out for the tensor that owns them.</summary>
    public byte[] Take(string input, long size)
    {
        if (size > Remaining) throw new InvalidInferenceRequestException($"Input '{input}' claims {size} binary bytes; only {Remaining} remain in the body.");
        var bytes = body.AsSpan(_offset, (int)size).ToArray();
        _offset += (int)size;
        return bytes;
    }
}
