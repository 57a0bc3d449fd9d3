using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Cluster.Capture;

/// <summary>
/// Captured predictions as JSON-lines files (the embedded default): <c>&lt;Capture:Directory&gt;/&lt;model&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>,
/// one file per model and UTC day, appended in the order records completed. Each model folder keeps its
/// latest <c>retention_days</c>, by which whole days are pruned. Tensors' bytes lie raw in the day's side file,
/// <c>&lt;yyyy-MM-dd&gt;.tensors</c>, where each line says (<see cref="ITensorSideFile"/>); reading puts them back in the
/// line as base64, the form every store exports from. A store writes a folder past the page cache
/// (<see cref="DayFileWriter"/>) while it holds the folder's writer lock; a second store on the same folder, which
/// finds the lock taken, appends through the page cache instead, with the tensors in its lines, and the first picks up after it.
/// </summary>
public sealed class FileCaptureStore(IOptions<CaptureOptions> options) : ICaptureStore, ITensorSideFile, IDisposable
{
    private const string RetentionFile = "retention_days";
    private const string Extension = ".jsonl";
    private const string TensorsExtension = ".tensors";
    // Held while this store writes a model folder, so that one writer alone tracks where each day file ends.
    private const string WriterLockFile = ".writer.lock";
    private readonly string _root = Path.GetFullPath(options.Value.Directory);
    private static readonly byte[] LineBreak = "\n"u8.ToArray();
    private readonly Dictionary<string, int> _retention = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FolderWriter> _folders = new(StringComparer.Ordinal);
    // Where the last tensor went (a model's tensors for one day, or nowhere while another store holds the folder), until the next
    // batch: the tensors of a batch mostly share both, and looking up the folder per tensor built its paths and, locked out, tried its lock.
    private (string Model, DateOnly Day, DayFileWriter? Writer)? _lastPlaced;

    /// <summary>
    /// Appends synchronously and returns a completed task: the capture writer calls from a thread of its own, and file writes
    /// on Linux would only move the same blocking calls onto the thread pool that requests run on.
    /// </summary>
    public Task Append(IReadOnlyList<CaptureRecord> records, CancellationToken cancellationToken)
    {
        // The tensors the lines point at reach their files first, so a reader never finds a line whose bytes are not there yet.
        foreach (var folder in _folders.Values) folder.Tensors?.Commit();
        _lastPlaced = null;
        foreach (var group in records.GroupBy(r => (r.Model, Day: Day(r.CompletedAt))))
        {
            var folder = Path.Combine(_root, group.Key.Model);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, group.Key.Day + Extension);
            if (WriterFor(folder)?.LinesOf(path) is { } writer)
            {
                writer.FollowForeignWrites();
                foreach (var record in group)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    writer.Append(record.Json.Span);
                    writer.Append(LineBreak);
                }
                writer.Commit();
            }
            else
            {
                AppendShared(path, group, cancellationToken);
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

    public long? Place(string model, DateTimeOffset completedAt, ReadOnlySpan<byte> bytes)
    {
        var day = DateOnly.FromDateTime(completedAt.UtcDateTime);
        if (_lastPlaced is not { } last || last.Model != model || last.Day != day)
        {
            var folder = Path.Combine(_root, model);
            if (!_folders.ContainsKey(folder)) Directory.CreateDirectory(folder);
            _lastPlaced = last = (model, day, WriterFor(folder)?.TensorsOf(Path.Combine(folder, Day(completedAt) + TensorsExtension)));
        }
        if (last.Writer is not { } tensors) return null;
        var offset = tensors.Length;
        tensors.Append(bytes);
        return offset;
    }

    /// <summary>This store's writers of a model folder, or null while another store (another silo on the same folder) holds the folder.</summary>
    private FolderWriter? WriterFor(string folder)
    {
        if (!_folders.TryGetValue(folder, out var writer)) _folders[folder] = writer = new FolderWriter();
        writer.Lock ??= TryLock(Path.Combine(folder, WriterLockFile));
        return writer.Lock is null ? null : writer;
    }

    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // Appends (O_APPEND) through the page cache: several writers interleave whole writes.
    private static void AppendShared(string path, IEnumerable<CaptureRecord> records, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096);
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            file.Write(record.Json.Span);
            file.Write(LineBreak);
        }
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
            using var tensors = new TensorSideFileReader(Path.Combine(folder, day + TensorsExtension));
            await foreach (var line in CompleteLines.ReadAsync(file, cancellationToken))
            {
                if (!CaptureLineFields.TryRead(line, out var version, out var completedAt)) continue;
                if (query.Version is not null && version != query.Version) continue;
                if (completedAt < query.From || completedAt >= query.To) continue;
                if (tensors.Inline(line) is not { } whole) continue;
                yield return whole;
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
            foreach (var file in Directory.GetFiles(folder, "*" + Extension).Concat(Directory.GetFiles(folder, "*" + TensorsExtension)))
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

    public void Dispose()
    {
        foreach (var writer in _folders.Values) writer.Dispose();
        _folders.Clear();
        _lastPlaced = null;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A model folder's lock and the writers of its current day's lines and tensors.</summary>
    private sealed class FolderWriter : IDisposable
    {
        private DayFileWriter? _lines;
        private DayFileWriter? _tensors;

        public FileStream? Lock { get; set; }

        /// <summary>The writer of the tensors placed since the last commit, if any.</summary>
        public DayFileWriter? Tensors => _tensors;

        public DayFileWriter LinesOf(string path) => Switch(ref _lines, path, DayFileWriter.LineCapacity);

        public DayFileWriter TensorsOf(string path) => Switch(ref _tensors, path, DayFileWriter.TensorCapacity);

        // A new day's file: what the old writer holds is committed before it goes.
        private static DayFileWriter Switch(ref DayFileWriter? current, string path, int capacity)
        {
            if (current?.Path == path) return current;
            if (current is not null)
            {
                current.Commit();
                current.Dispose();
                current = null;
            }
            return current = new DayFileWriter(path, capacity);
        }

        public void Dispose()
        {
            _tensors?.Commit();
            _tensors?.Dispose();
            _lines?.Dispose();
            Lock?.Dispose();
        }
    }
}
