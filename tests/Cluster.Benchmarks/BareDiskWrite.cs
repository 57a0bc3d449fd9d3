extern alias silo;
using System.Diagnostics.Metrics;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using silo::Cluster.Silo.Capture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Benchmarks;

/// <summary>
/// The least any server pays here to keep every request's tensors on disk: for models named with <see cref="Suffix"/>, the bare
/// server (<see cref="BareServer"/>) queues each answered request (its lent input shared, as capture shares it) and a thread of
/// its own appends the input's and output's raw bytes to one file past the page cache (the capture store's
/// <see cref="DayFileWriter"/>), as the store writes its tensors: no JSON, no base64, no record fields, no write smaller than the store's.
/// Its thread is paced as the capture writer's is: in SCHED_BATCH, woken once a megabyte of tensors is queued.
/// Against the bare server without it, this is the price of the bytes alone on this machine's disk; capture
/// (<see cref="BareCapture"/>) against it is what the record format and the store add.
/// </summary>
internal sealed class BareDiskWrite(CaptureBuffer queue, string directory) : BackgroundService
{
    public const string Suffix = "-disk";

    private static readonly CaptureConfig Every = new(1.0);

    /// <summary>The writer and its own queue (not the capture party's), registered beside <see cref="BareCapture"/>.</summary>
    public static void Add(IServiceCollection services, string directory)
    {
        services.AddKeyedSingleton(Suffix, (provider, _) => new CaptureBuffer(provider.GetRequiredService<IOptions<CaptureOptions>>(), provider.GetRequiredService<IMeterFactory>()));
        services.AddHostedService(provider => new BareDiskWrite(provider.GetRequiredKeyedService<CaptureBuffer>(Suffix), directory));
    }

    /// <summary>Queues one answered request's tensors, sharing the input's lent array until they are written.</summary>
    public static void Offer(CaptureBuffer queue, TensorData input, TensorData output)
    {
        var (kept, keptOutputs) = CapturedRequest.Keep(new InferenceRequest(null, [input], []), [output], Every);
        queue.Offer(new CapturedRequest("disk", "1", "primary", kept, keptOutputs, Every, null, default, TimeSpan.Zero, "success", null));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Drain(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Drain(CancellationToken stoppingToken)
    {
        BatchScheduling.TryApplyToCurrentThread();
        using var file = new DayFileWriter(Path.Combine(directory, "tensors.bin"), DayFileWriter.TensorCapacity);
        try
        {
            while (true)
            {
                queue.WhenQueued(int.MaxValue, CaptureWriter.WakeBytes).Wait(stoppingToken);
                // Whole buffers go to the disk as the writer's buffer fills; the partial rest waits for the next records.
                while (queue.TryTake(out var captured))
                {
                    foreach (var tensor in captured.Request.Inputs) file.Append(tensor.Data);
                    foreach (var tensor in captured.Outputs) file.Append(tensor.Data);
                    captured.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The benchmark deletes the folder; what is left in the buffer is not worth writing.
        }
    }
}
