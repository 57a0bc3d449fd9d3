extern alias silo;
using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Cluster.Capture;
using Cluster.Tensors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Benchmarks;

/// <summary>
/// The least an HTTP server on this machine can do per inference request. Kestrel reads a binary body straight into the
/// tensor's bytes, a lent array as the silo's (64 KB receive blocks, as the silo's; JSON bodies: <see cref="BareJson"/>),
/// ONNX Runtime runs it one request at a time, and the answer goes back in the request's form. No Orleans, routing, batching,
/// validation, statistics, authentication or telemetry; capture only for models named so (<see cref="BareCapture"/>). Served against raw ONNX Runtime at the same core budget (<see cref="FloorCost"/>),
/// it shows how much of the silo's overhead any server pays here (the socket, Kestrel, a second process) and how much is the
/// serving system's own.
/// </summary>
internal static class BareServer
{
    public const int Http1Port = 18090;
    public const int Http2Port = 18091;
    public const string ReadyLine = "bare-server-ready";

    // One run at a time, as a replica runs its batches: runs interleaved on one core evict each other's working set.
    private static readonly SemaphoreSlim OneRun = new(1, 1);

    public static async Task RunAsync(BenchModel model, string? captureDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Kestrel reads into the silo's 64 KB blocks: with its default 4 KB ones a 110 KB body takes ~28 reads.
        builder.Services.AddReceiveBlocks();
        if (captureDirectory is not null) BareCapture.Add(builder.Services, captureDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(Http1Port, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.ListenLocalhost(Http2Port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        await using var app = builder.Build();
        // As raw ONNX Runtime and the silo run it: one pool thread per given core.
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(model.Path, options);
        var runOptions = new RunOptions();
        var output = session.OutputNames[0];
        var elements = (int)ShapeMath.ElementCount(model.Shape);
        app.MapGet("/ready", () => "ok");
        var captures = captureDirectory is null ? null : new Queues(app.Services.GetRequiredService<CaptureBuffer>(), app.Services.GetRequiredKeyedService<CaptureBuffer>(BareDiskWrite.Suffix));
        app.MapPost("/v2/models/{name}/infer", (HttpContext context) => context.Request.Headers.ContainsKey("Inference-Header-Content-Length")
            ? InferBinaryAsync(context, session, runOptions, model, output, elements, captures)
            : InferJsonAsync(context, session, runOptions, model, output, elements));
        BareSocketServer.Start(session, runOptions, model, output, elements);
        await app.StartAsync();
        Console.WriteLine(ReadyLine);
        await app.WaitForShutdownAsync();
    }

    private static async Task InferJsonAsync(HttpContext context, InferenceSession session, RunOptions runOptions, BenchModel model, string output, int elements)
    {
        var floats = ArrayPool<float>.Shared.Rent(elements);
        try
        {
            var tensor = floats.AsMemory(0, elements);
            await BareJson.ReadTensor(context.Request.BodyReader, tensor, Name(context).EndsWith(BareJson.SiloReaderSuffix, StringComparison.Ordinal));
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor, model.Shape);
            var (shape, data) = await RunOnce(session, runOptions, model, output, input);
            var body = BareJson.Answer(output, shape, MemoryMarshal.Cast<byte, float>(data));
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.BodyWriter.WriteAsync(body);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    // The body goes into a lent array, as the silo reads it, pinned while ONNX Runtime reads it, and shared with a capture record when one is made.
    private static async Task InferBinaryAsync(HttpContext context, InferenceSession session, RunOptions runOptions, BenchModel model, string output, int elements, Queues? queues)
    {
        var name = Name(context);
        var capture = queues is not null && name.EndsWith(BareCapture.Suffix, StringComparison.Ordinal);
        var disk = queues is not null && name.EndsWith(BareDiskWrite.Suffix, StringComparison.Ordinal);
        var receivedAt = capture ? DateTimeOffset.UtcNow : default;
        var started = capture ? Stopwatch.GetTimestamp() : 0;
        var bytes = TensorBuffers.Rent(elements * sizeof(float));
        try
        {
            await ReadTensor(context.Request.BodyReader, int.Parse(context.Request.Headers["Inference-Header-Content-Length"].ToString(), System.Globalization.CultureInfo.InvariantCulture), bytes);
            var run = Stopwatch.GetTimestamp();
            var answer = await RunPinned(session, runOptions, model, output, bytes);
            var compute = Stopwatch.GetElapsedTime(run);
            var header = Encoding.UTF8.GetBytes(
                $$$"""{"model_name":"bare","outputs":[{"name":"{{{output}}}","datatype":"FP32","shape":[{{{string.Join(',', answer.Shape)}}}],"parameters":{"binary_data_size":{{{answer.Data.Length}}}}}]}""");
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers["Inference-Header-Content-Length"] = header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var body = new byte[header.Length + answer.Data.Length];
            header.CopyTo(body, 0);
            answer.Data.CopyTo(body, header.Length);
            context.Response.ContentLength = body.Length;
            if (disk) BareDiskWrite.Offer(queues!.Disk, new TensorData(model.Input, TensorDataType.FP32, [.. model.Shape], bytes), new TensorData(output, TensorDataType.FP32, [.. answer.Shape], answer.Data));
            if (capture)
            {
                BareCapture.Offer(queues!.Capture, name, new TensorData(model.Input, TensorDataType.FP32, [.. model.Shape], bytes),
                    new TensorData(output, TensorDataType.FP32, [.. answer.Shape], answer.Data), receivedAt, Stopwatch.GetElapsedTime(started), compute);
            }
            await context.Response.BodyWriter.WriteAsync(body);
        }
        finally
        {
            TensorBuffers.Return(bytes);
        }
    }

    /// <summary>Where answered requests go for models named to be captured (<see cref="BareCapture"/>) or written raw (<see cref="BareDiskWrite"/>).</summary>
    private sealed record Queues(CaptureBuffer Capture, CaptureBuffer Disk);

    /// <summary>Runs the model on the input's bytes where they lie, pinned for the run (the bare socket server's pinned array too).</summary>
    internal static async Task<(long[] Shape, byte[] Data)> RunPinned(InferenceSession session, RunOptions runOptions, BenchModel model, string output, byte[] bytes)
    {
        var pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try
        {
            using var input = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, model.Shape, pin.AddrOfPinnedObject(), bytes.Length);
            return await RunOnce(session, runOptions, model, output, input);
        }
        finally
        {
            pin.Free();
        }
    }

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    // One run at a time, as a replica runs its batches: its output's shape and bytes.
    private static async Task<(long[] Shape, byte[] Data)> RunOnce(InferenceSession session, RunOptions runOptions, BenchModel model, string output, OrtValue input)
    {
        await OneRun.WaitAsync();
        try
        {
            using var results = session.Run(runOptions, [model.Input], [input], [output]);
            return (results[0].GetTensorTypeAndShape().Shape, MemoryMarshal.AsBytes(results[0].GetTensorDataAsSpan<float>()).ToArray());
        }
        finally
        {
            OneRun.Release();
        }
    }

    // Skips the JSON header (the bare server knows its one input) and copies the rest of the body into the tensor's bytes.
    private static async Task ReadTensor(System.IO.Pipelines.PipeReader reader, int skip, byte[] tensor)
    {
        var target = tensor.Length;
        var written = 0;
        while (true)
        {
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            foreach (var segment in buffer)
            {
                var span = segment.Span;
                var drop = Math.Min(skip, span.Length);
                skip -= drop;
                span = span[drop..];
                var take = Math.Min(span.Length, target - written);
                span[..take].CopyTo(tensor.AsSpan(written));
                written += take;
            }
            reader.AdvanceTo(buffer.End);
            if (read.IsCompleted) break;
        }
        if (written != target) throw new InvalidDataException($"The body held {written} tensor bytes, not {target}.");
    }
}
