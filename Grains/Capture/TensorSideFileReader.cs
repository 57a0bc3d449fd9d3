using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;

namespace Cluster.Capture;

/// <summary>
/// Puts a stored line's tensors back in it from the day's side file (<see cref="ITensorSideFile"/>): each
/// <see cref="CaptureRecordJson.RawAtMember"/> becomes the base64 <see cref="CaptureRecordJson.RawMember"/> that lines
/// written without a side file carry, so the export reads one form.
/// </summary>
internal sealed class TensorSideFileReader(string path) : IDisposable
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] TensorLists = ["inputs", "outputs"];
    private SafeFileHandle? _file;

    /// <summary>The line with its tensors in it; null when the side file does not hold them (the line is then no whole record).</summary>
    public string? Inline(string line)
    {
        if (!line.Contains($"\"{CaptureRecordJson.RawAtMember}\"", StringComparison.Ordinal)) return line;
        JsonObject? record;
        try
        {
            record = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (record is null) return null;
        foreach (var name in TensorLists)
        {
            if (record[name] is not JsonArray tensors) continue;
            foreach (var tensor in tensors.OfType<JsonObject>())
            {
                if (tensor[CaptureRecordJson.RawAtMember] is not JsonValue at) continue;
                var bytes = Read(at.GetValue<long>(), tensor[CaptureRecordJson.RawLengthMember]?.GetValue<int>() ?? 0);
                if (bytes is null) return null;
                tensor.Remove(CaptureRecordJson.RawAtMember);
                tensor.Remove(CaptureRecordJson.RawLengthMember);
                tensor[CaptureRecordJson.RawMember] = Convert.ToBase64String(bytes);
            }
        }
        return record.ToJsonString(Relaxed);
    }

    private byte[]? Read(long offset, int length)
    {
        if (!File.Exists(path)) return null;
        _file ??= File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[length];
        return FileReads.ReadAt(_file, bytes, offset) == length ? bytes : null;
    }

    public void Dispose() => _file?.Dispose();
}
