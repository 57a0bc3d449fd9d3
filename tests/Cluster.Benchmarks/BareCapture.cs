extern alias silo;
using System.Diagnostics;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using silo::Cluster.Silo.Capture;

namespace Cluster.Benchmarks;

/// <summary>
/// Prediction capture in the bare server (<see cref="BareServer"/>), for models named with <see cref="Suffix"/>: every request
/// goes into the silo's own capture buffer, and the silo's writer thread formats it and appends it to a day file through
/// the silo's file store. There is no router or grain around it. Against the bare server without it, this is what
/// capturing every request, tensors included, costs any server on this core. The silo's capture path against it is the
/// serving system's own share.
/// </summary>
internal static class BareCapture
{
    public const string Suffix = "-capture";

    // As the benchmark's captured model is configured: every request, inputs and outputs.
    private static readonly CaptureConfig Every = new(1.0);

    public static void Add(IServiceCollection services, string directory)
    {
        services.AddMetrics();
        services.Configure<CaptureOptions>(options => options.Directory = directory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CaptureBuffer>();
        services.AddSingleton<ICaptureStore, FileCaptureStore>();
        services.AddHostedService<CaptureWriter>();
        BareDiskWrite.Add(services, directory);
    }

    /// <summary>
    /// Queues the record of one answered request. As in the silo's router, the record shares the input's lent array and the
    /// writer gives its share back once formatted. The request gets an id and a trace id, as every captured record has them.
    /// </summary>
    public static void Offer(CaptureBuffer buffer, string model, TensorData input, TensorData output, DateTimeOffset receivedAt, TimeSpan duration, TimeSpan compute)
    {
        var request = new InferenceRequest(Guid.NewGuid().ToString("N"), [input], []);
        var (kept, keptOutputs) = CapturedRequest.Keep(request, [output], Every);
        buffer.Offer(new CapturedRequest(model, "1", "primary", kept, keptOutputs, Every, ActivityTraceId.CreateRandom().ToHexString(), receivedAt, duration, "success", null)
        {
            QueueTime = TimeSpan.Zero,
            ComputeTime = compute,
        });
    }
}
