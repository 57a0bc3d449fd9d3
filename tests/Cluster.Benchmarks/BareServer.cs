extern alias silo;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Benchmarks;

/// <summary>
/// The least an HTTP server on this machine can do per inference request. Kestrel reads a binary body straight into the
/// tensor's floats (64 KB receive blocks, as the silo's; JSON bodies: <see cref="BareJson"/>), ONNX Runtime runs it one
/// request at a time, and the answer goes back in the request's form. No Orleans, routing, batching, validation,
/// statistics, authentication or telemetry. Served against raw ONNX Runtime at the same core budget (<see cref="FloorCost"/>),
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

    public static async Task RunAsync(BenchModel model)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Kestrel reads into the silo's 64 KB blocks: with its default 4 KB ones a 110 KB body takes ~28 reads.
        builder.Services.AddReceiveBlocks();
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
        var elements = (int)model.Shape.Aggregate(1L, (a, b) => a * b);
        app.MapGet("/ready", () => "ok");
        app.MapPost("/v2/models/{name}/infer", (HttpContext context) => InferAsync(context, session, runOptions, model, output, elements));
        BareSocketServer.Start(session, runOptions, model, output, OneRun);
        await app.StartAsync();
        Console.WriteLine(ReadyLine);
        await app.WaitForShutdownAsync();
    }

    private static async Task InferAsync(HttpContext context, InferenceSession session, RunOptions runOptions, BenchModel model, string output, int elements)
    {
        var binary = context.Request.Headers.TryGetValue("Inference-Header-Content-Length", out var headerLength);
        var floats = ArrayPool<float>.Shared.Rent(elements);
        try
        {
            var tensor = floats.AsMemory(0, elements);
            if (binary) await ReadTensor(context.Request.BodyReader, int.Parse(headerLength.ToString(), System.Globalization.CultureInfo.InvariantCulture), tensor);
            else await BareJson.ReadTensor(context.Request.BodyReader, tensor, ((string)context.Request.RouteValues["name"]!).EndsWith(BareJson.SiloReaderSuffix, StringComparison.Ordinal));
            (byte[] Body, int HeaderLength) answer;
            await OneRun.WaitAsync();
            try
            {
                answer = Run(session, runOptions, model, output, tensor, binary);
            }
            finally
            {
                OneRun.Release();
            }
            context.Response.ContentType = binary ? "application/octet-stream" : "application/json";
            if (binary) context.Response.Headers["Inference-Header-Content-Length"] = answer.HeaderLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentLength = answer.Body.Length;
            await context.Response.BodyWriter.WriteAsync(answer.Body);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    // Skips the JSON header (the bare server knows its one input) and copies the rest of the body into the tensor's bytes.
    private static async Task ReadTensor(System.IO.Pipelines.PipeReader reader, int skip, Memory<float> tensor)
    {
        var target = MemoryMarshal.AsBytes(tensor.Span).Length;
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
                span[..take].CopyTo(MemoryMarshal.AsBytes(tensor.Span)[written..]);
                written += take;
            }
            reader.AdvanceTo(buffer.End);
            if (read.IsCompleted) break;
        }
        if (written != target) throw new InvalidDataException($"The body held {written} tensor bytes, not {target}.");
    }

    private static (byte[] Body, int HeaderLength) Run(InferenceSession session, RunOptions runOptions, BenchModel model, string output, Memory<float> tensor, bool binary)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor, model.Shape);
        using var results = session.Run(runOptions, [model.Input], [input], [output]);
        var floats = results[0].GetTensorDataAsSpan<float>();
        var shape = results[0].GetTensorTypeAndShape().Shape;
        if (!binary) return (BareJson.Answer(output, shape, floats), 0);
        var data = MemoryMarshal.AsBytes(floats);
        var header = Encoding.UTF8.GetBytes(
            $$$"""{"model_name":"bare","outputs":[{"name":"{{{output}}}","datatype":"FP32","shape":[{{{string.Join(',', shape)}}}],"parameters":{"binary_data_size":{{{data.Length}}}}}]}""");
        var body = new byte[header.Length + data.Length];
        header.CopyTo(body, 0);
        data.CopyTo(body.AsSpan(header.Length));
        return (body, header.Length);
    }
}
