using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Benchmarks;

/// <summary>
/// The floor under every protocol: a tensor received over a TCP socket with no protocol at all (a length, then the raw
/// floats), straight into the array ONNX Runtime reads, one copy from the kernel and none after. Its answer is a length and
/// the output's floats. What it costs beyond raw ONNX Runtime is what any server pays here to receive the request on the
/// core that computes it (<see cref="FloorCost"/>); <see cref="BareSocketClient"/> speaks it.
/// </summary>
internal static class BareSocketServer
{
    public const int Port = 18092;

    public static void Start(InferenceSession session, RunOptions runOptions, BenchModel model, string output, int elements)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
        listener.Listen(256);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var connection = await listener.AcceptAsync();
                connection.NoDelay = true;
                _ = Task.Run(() => ServeAsync(connection, session, runOptions, model, output, elements));
            }
        });
    }

    private static async Task ServeAsync(Socket connection, InferenceSession session, RunOptions runOptions, BenchModel model, string output, int elements)
    {
        using var _ = connection;
        // Pinned, so ONNX Runtime reads the bytes where the socket wrote them.
        var tensor = GC.AllocateArray<byte>(elements * sizeof(float), pinned: true);
        var length = new byte[sizeof(int)];
        while (await ReceiveExactly(connection, length))
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(length) != tensor.Length) throw new InvalidDataException("The frame is not one tensor of the model's input.");
            if (!await ReceiveExactly(connection, tensor)) return;
            // One run at a time with the Kestrel requests, as the bare server runs them.
            var (_, floats) = await BareServer.RunPinned(session, runOptions, model, output, tensor);
            var answer = new byte[sizeof(int) + floats.Length];
            BinaryPrimitives.WriteInt32LittleEndian(answer, floats.Length);
            floats.CopyTo(answer.AsSpan(sizeof(int)));
            await connection.SendAsync(answer);
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed first.</summary>
    internal static async Task<bool> ReceiveExactly(Socket socket, Memory<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0) return false;
            buffer = buffer[read..];
        }
        return true;
    }
}
