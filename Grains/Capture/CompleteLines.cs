using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cluster.Capture;

/// <summary>
/// The lines of a file another writer may be appending to, each only once its line break is there: a record of
/// an image model is ~150 KB, written in several pieces, and a reader that took the half written so far as a
/// line would export broken JSON (the export's response then ends mid-stream).
/// </summary>
public static class CompleteLines
{
    public static async IAsyncEnumerable<string> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var lines = new List<string>();
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    lines.Add(Encoding.UTF8.GetString(buffer.Slice(0, end)));
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }
                // What follows the last line break is a line still being written: left unread.
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var line in lines) yield return line;
                if (result.IsCompleted) yield break;
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
