using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Cluster.Capture;

/// <summary>
/// Captured predictions as JSON-lines files (the embedded default): <c>&lt;Capture:Directory&gt;/&lt;model&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>,
/// one file per model and UTC day, appended in the order records completed. Each model folder keeps its
/// latest <c>retention_days</c>, by which whole days are pruned.
/// </summary>
public sealed class FileCaptureStore(IOptions<CaptureOptions> options) : ICaptureStore
{
    private const string RetentionFile = "retention_days";
    private const string Extension = ".jsonl";
    private readonly string _root = Path.GetFullPath(options.Value.Directory);
    private static readonly ReadOnlyMemory<byte> LineBreak = "\n"u8.ToArray();
    private const long DropEvery = 8L << 20;
    private readonly Dictionary<string, int> _retention = new(StringComparer.Ordinal);
    // Per model folder, its latest day file and how far that is on disk and out of the page cache (a day's last few MB stay cached).
    private readonly Dictionary<string, (string File, long Offset)> _synced = new(StringComparer.Ordinal);

    /// <summary>
    /// Appends synchronously and returns a completed task: the capture writer calls from a thread of its own, and FileStream's
    /// async writes on Linux would only move the same blocking calls onto the thread pool that requests run on.
    /// </summary>
    public Task Append(IReadOnlyList<CaptureRecord> records, CancellationToken cancellationToken)
    {
        foreach (var group in records.GroupBy(r => (r.Model, Day: Day(r.CompletedAt))))
        {
            var folder = Path.Combine(_root, group.Key.Model);
            Directory.CreateDirectory(folder);
            // Sequential writes through a FileStream: a gathered RandomAccess write of the same batch measured 8× the CPU here.
            // A reader meanwhile sees whole lines, and leaves a last line still being written (CompleteLines).
            using (var file = new FileStream(Path.Combine(folder, group.Key.Day + Extension), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096))
            {
                foreach (var record in group)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    file.Write(record.Json.Span);
                    file.Write(LineBreak.Span);
                }
                DropWritten(file);
            }
            var retention = group.Last().RetentionDays;
            if (!_retention.TryGetValue(group.Key.Model, out var known) || known != retention)
            {
                File.WriteAllText(Path.Combine(folder, RetentionFile), retention.ToString(CultureInfo.InvariantCulture));
                _retention[group.Key.Model] = retention;
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Once <see cref="DropEvery"/> bytes were appended to a file since it was last synced, puts them on disk and out of the page
    /// cache (<see cref="PageCache"/> says why). Syncing every batch instead cost a journal commit per few records where records
    /// are small. The wait is the writer's, never a request's: a disk that cannot keep up fills the queue, which drops.
    /// </summary>
    private void DropWritten(FileStream file)
    {
        var end = file.Position;
        var folder = Path.GetDirectoryName(file.Name)!;
        var synced = _synced.TryGetValue(folder, out var known) && known.File == file.Name && known.Offset <= end ? known.Offset : 0;
        if (end - synced < DropEvery) return;
        file.Flush(flushToDisk: true);
        PageCache.Drop(file.SafeFileHandle, synced, end - synced);
        _synced[folder] = (file.Name, end);
    }

    public async IAsyncEnumerable<string> Read(string model, CaptureQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, model);
        if (!Directory.Exists(folder)) yield break;
        var first = query.From is { } from ? Day(from) : null;
        var last = query.To is { } to ? Day(to) : null;
        var days = Directory.GetFiles(folder, "*" + Extension).Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Where(d => (first is null || string.CompareOrdinal(d, first) >= 0) && (last is null || string.CompareOrdinal(d, last) <= 0))
            .Order(StringComparer.Ordinal);
        var sent = 0;
        foreach (var day in days)
        {
            await using var file = new FileStream(Path.Combine(folder, day + Extension), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await foreach (var line in CompleteLines.ReadAsync(file, cancellationToken))
            {
                if (!CaptureLineFields.TryRead(line, out var version, out var completedAt)) continue;
                if (query.Version is not null && version != query.Version) continue;
                if (completedAt < query.From || completedAt >= query.To) continue;
                yield return line;
                if (++sent >= query.Limit) yield break;
            }
        }
    }

    public Task<long> Prune(DateOnly today, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root)) return Task.FromResult(0L);
        var pruned = 0L;
        foreach (var folder in Directory.GetDirectories(_root))
        {
            var retentionPath = Path.Combine(folder, RetentionFile);
            if (!File.Exists(retentionPath) || !int.TryParse(File.ReadAllText(retentionPath), CultureInfo.InvariantCulture, out var retention)) continue;
            foreach (var file in Directory.GetFiles(folder, "*" + Extension))
            {
                if (DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(file), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    && day.AddDays(retention + 1) <= today)
                {
                    File.Delete(file);
                    pruned++;
                }
            }
        }
        return Task.FromResult(pruned);
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
