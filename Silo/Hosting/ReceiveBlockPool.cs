using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace Cluster.Silo.Hosting;

/// <summary>
/// The silo's socket buffers (Kestrel's, and Orleans' through <see cref="ReceiveBlocks"/>), in blocks of <see cref="BlockSize"/>
/// bytes instead of the frameworks' 4 KB. A socket read fills at most one block, so a 110 KB tensor took ~28 receive calls
/// (each a system call, a pipe flush and a wake-up of the request's reader); with 64 KB blocks it takes two or three. Blocks
/// are pinned (the socket layer pins what it reads into) and kept for reuse up to <see cref="MaxRetained"/>; past that a
/// returned block is left to the collector.
/// </summary>
internal sealed class ReceiveBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    // Enough for every block of a few hundred busy connections (each reads into one, writes from one or two).
    private const int MaxRetained = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize) throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, $"Blocks hold {BlockSize} bytes.");
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            return block;
        }
        return new Block(this);
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) > MaxRetained)
        {
            Interlocked.Decrement(ref _retained);
            return;
        }
        _free.Enqueue(block);
    }

    // Kestrel disposes its pool with each listener it unbinds; the others still rent from it, so this only lets go of the free blocks.
    protected override void Dispose(bool disposing)
    {
        while (_free.TryDequeue(out _)) Interlocked.Decrement(ref _retained);
    }

    private sealed class Block(ReceiveBlockPool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Dispose() => pool.Return(this);
    }

    /// <summary>The factory Kestrel takes its pools from (one pool serves all of them).</summary>
    public sealed class Factory(ReceiveBlockPool pool) : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => pool;
    }
}
