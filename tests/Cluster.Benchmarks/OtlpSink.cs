using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Cluster.Benchmarks;

/// <summary>
/// A stand-in OTLP/gRPC collector for the observability cost run: it takes every export (traces and
/// metrics), counts requests and bytes, and answers success with an empty message, so the silo's exporter
/// does its whole work (serialising, sending) without a collector on the machine.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    // A gRPC message frame: not compressed, zero bytes long (an empty Export*ServiceResponse).
    private static readonly byte[] EmptyMessage = [0, 0, 0, 0, 0];
    private readonly WebApplication _app;
    private long _exports;
    private long _bytes;

    private OtlpSink(WebApplication app) => _app = app;

    public long Exports => Interlocked.Read(ref _exports);
    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<OtlpSink> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.Run(sink.Take);
        await app.StartAsync();
        return sink;
    }

    private async Task Take(HttpContext http)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer)) > 0) Interlocked.Add(ref _bytes, read);
        Interlocked.Increment(ref _exports);
        http.Response.ContentType = "application/grpc";
        await http.Response.Body.WriteAsync(EmptyMessage);
        http.Response.AppendTrailer("grpc-status", "0");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
