using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cluster.Capture;

/// <summary>
/// Appends to one capture day file past the page cache. Records gather in an aligned buffer whose whole pages are
/// written with O_DIRECT (<see cref="DirectIo"/>); after each batch the last, partial page is written through the
/// page cache as well, so a reader sees every record at once, and it is written again, whole, once the page fills.
/// Through the page cache alone, full capture of 110 KB tensors cost the silo about twice the CPU per record in the
/// kernel (copying into new cache pages, writing them back, dropping them). Where O_DIRECT is refused every write
/// goes through the page cache. One writer per file: <see cref="FileCaptureStore"/> holds a folder lock for it.
/// </summary>
internal sealed unsafe class DayFileWriter : IDisposable
{
    /// <summary>The buffer of a file of lines: small records, committed every batch.</summary>
    public const int LineCapacity = 1 << 20;

    /// <summary>The buffer of a file of raw tensors: 4 MB, the most a disk here takes in one request (<c>max_sectors_kb</c>), so a full buffer is one.</summary>
    public const int TensorCapacity = 4 << 20;

    private readonly int _capacity;
    private readonly SafeFileHandle _cached;
    private SafeFileHandle? _direct;
    private byte* _buffer;
    // The file offset of the buffer's first byte (a multiple of the alignment) and how many bytes from there the buffer holds.
    private long _start;
    private int _used;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending through a buffer of <paramref name="capacity"/> bytes, a multiple of the alignment.</summary>
    public DayFileWriter(string path, int capacity = LineCapacity)
    {
        Path = path;
        _capacity = capacity;
        _cached = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var direct = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            if (DirectIo.TryEnable(direct)) _direct = direct;
            else direct.Dispose();
            _buffer = HugePageBuffer.Allocate(capacity);
            ReloadTail();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>The file's length once everything appended so far is committed: where the next appended byte goes.</summary>
    public long Length => _start + _used;

    /// <summary>Whether whole pages bypass the page cache.</summary>
    public bool Direct => _direct is not null;

    /// <summary>Adds bytes after what was appended so far; whole buffers are written as they fill.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var part = Math.Min(_capacity - _used, bytes.Length);
            StreamingCopy.Copy(bytes[..part], new Span<byte>(_buffer + _used, part));
            _used += part;
            bytes = bytes[part..];
            if (_used == _capacity) WriteWholePages();
        }
    }

    /// <summary>Puts everything appended into the file: whole pages directly, the partial last page through the page cache.</summary>
    public void Commit()
    {
        WriteWholePages();
        if (_used > 0) RandomAccess.Write(_cached, new ReadOnlySpan<byte>(_buffer, _used), _start);
    }

    /// <summary>
    /// Starts again from the file's end when the file is not as this writer left it: a store that found the folder lock taken
    /// appends, and so does a test or an operator with a text editor. Called before each batch; one stat.
    /// </summary>
    public void FollowForeignWrites()
    {
        if (RandomAccess.GetLength(_cached) != Length) ReloadTail();
    }

    private void WriteWholePages()
    {
        var whole = _used & ~(DirectIo.Alignment - 1);
        if (whole == 0) return;
        var pages = new ReadOnlySpan<byte>(_buffer, whole);
        try
        {
            RandomAccess.Write(_direct ?? _cached, pages, _start);
        }
        catch (IOException) when (_direct is not null)
        {
            // A file system that took the flag but refuses the writes: this file goes through the page cache from now on.
            _direct.Dispose();
            _direct = null;
            RandomAccess.Write(_cached, pages, _start);
        }
        var rest = _used - whole;
        if (rest > 0) Buffer.MemoryCopy(_buffer + whole, _buffer, _capacity, rest);
        _start += whole;
        _used = rest;
    }

    // The file's last partial page comes back into the buffer: the next direct write rewrites that page whole.
    private void ReloadTail()
    {
        var length = RandomAccess.GetLength(_cached);
        _start = length & ~(long)(DirectIo.Alignment - 1);
        _used = FileReads.ReadAt(_cached, new Span<byte>(_buffer, (int)(length - _start)), _start);
    }

    public void Dispose()
    {
        _direct?.Dispose();
        _cached.Dispose();
        if (_buffer is not null) HugePageBuffer.Free(_buffer);
        _buffer = null;
    }
}
