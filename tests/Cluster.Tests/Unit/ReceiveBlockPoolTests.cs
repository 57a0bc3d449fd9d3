extern alias silo;
using System.Buffers;
using silo::Cluster.Silo.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Networking.Shared;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The silo's socket buffers: 64 KB blocks, reused, given to Kestrel and to Orleans' own sockets.</summary>
public sealed class ReceiveBlockPoolTests
{
    [Fact]
    public void EveryBlockIsWholeAndAReturnedBlockIsLentAgain()
    {
        using var pool = new ReceiveBlockPool();
        var first = pool.Rent(4096);
        first.Memory.Length.ShouldBe(ReceiveBlockPool.BlockSize);
        var second = pool.Rent();
        second.ShouldNotBeSameAs(first);
        first.Dispose();
        pool.Rent().ShouldBeSameAs(first);
    }

    [Fact]
    public void ABlockLargerThanTheBlockSizeIsRefused()
    {
        using var pool = new ReceiveBlockPool();
        Should.Throw<ArgumentOutOfRangeException>(() => pool.Rent(ReceiveBlockPool.BlockSize + 1));
    }

    [Fact]
    public void KestrelAndOrleansSocketsBothTakeTheirBlocksFromOnePool()
    {
        // Orleans keeps its pool factory internal: when an Orleans upgrade moves it, this fails instead of the gain going quietly.
        ReceiveBlocks.OrleansPoolFactory.ShouldNotBeNull();
        using var services = new ServiceCollection().AddOptions().AddReceiveBlocks().BuildServiceProvider();

        var kestrelPool = services.GetRequiredService<IMemoryPoolFactory<byte>>().Create();
        var orleansOptions = services.GetRequiredService<IOptions<SocketConnectionOptions>>().Value;
        var orleansPool = ((Func<MemoryPool<byte>>)ReceiveBlocks.OrleansPoolFactory.GetValue(orleansOptions)!)();

        kestrelPool.ShouldBeOfType<ReceiveBlockPool>();
        orleansPool.ShouldBeSameAs(kestrelPool);
    }
}
