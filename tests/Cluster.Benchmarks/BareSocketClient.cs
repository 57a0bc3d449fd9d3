using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cluster.Benchmarks;

/// <summary>The load generator's side of <see cref="BareSocketServer"/>: a connection per caller, a frame per request.</summary>
internal sealed class BareSocketClient(BenchModel model) : IDisposable
{
    private readonly Socket?[] _connections = new Socket?[Protocols.Concurrency];
    private readonly byte[][] _frames = [.. model.Samples.Select(Frame)];

    /// <summary>A call for the load runner: caller <c>i % concurrency</c> always uses its own connection.</summary>
    public async Task Infer(int i)
    {
        var connection = _connections[i % _connections.Length] ??= await Connect();
        await connection.SendAsync(_frames[i % _frames.Length]);
        var length = new byte[sizeof(int)];
        if (!await BareSocketServer.ReceiveExactly(connection, length)) throw new IOException("The bare socket server closed the connection.");
        if (!await BareSocketServer.ReceiveExactly(connection, new byte[BinaryPrimitives.ReadInt32LittleEndian(length)])) throw new IOException("The bare socket server closed the connection.");
    }

    public void Dispose()
    {
        foreach (var connection in _connections) connection?.Dispose();
    }

    private static async Task<Socket> Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, BareSocketServer.Port));
        return socket;
    }

    private static byte[] Frame(float[] sample)
    {
        var bytes = MemoryMarshal.AsBytes(sample.AsSpan());
        var frame = new byte[sizeof(int) + bytes.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, bytes.Length);
        bytes.CopyTo(frame.AsSpan(sizeof(int)));
        return frame;
    }
}
