using System.Buffers;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Orleans.Networking.Shared;

namespace Cluster.Silo.Hosting;

/// <summary>
/// One <see cref="ReceiveBlockPool"/> for every socket of the silo: Kestrel's (HTTP, gRPC) and Orleans' own (the client
/// gateway, silo-to-silo links), which in Orleans 10.4.2 read into 4 KB blocks too, so a 110 KB tensor from a .NET client
/// or another silo took ~28 receive calls. Orleans keeps its pool factory in an internal property of the public
/// <see cref="SocketConnectionOptions"/>; should a later Orleans rename it, its sockets keep their 4 KB blocks and
/// <c>ReceiveBlockPoolTests</c> fails, so the loss is seen.
/// </summary>
internal static class ReceiveBlocks
{
    internal static readonly PropertyInfo? OrleansPoolFactory =
        typeof(SocketConnectionOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic) is { CanWrite: true } property
        && property.PropertyType == typeof(Func<MemoryPool<byte>>) ? property : null;

    public static IServiceCollection AddReceiveBlocks(this IServiceCollection services)
    {
        var pool = new ReceiveBlockPool();
        services.AddSingleton<IMemoryPoolFactory<byte>>(new ReceiveBlockPool.Factory(pool));
        if (OrleansPoolFactory is { } factory) services.Configure<SocketConnectionOptions>(options => factory.SetValue(options, (Func<MemoryPool<byte>>)(() => pool)));
        return services;
    }
}
