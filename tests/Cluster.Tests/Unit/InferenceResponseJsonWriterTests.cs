extern alias silo;
using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Cluster.Inference;
using Cluster.Tensors;
using silo::Cluster.Silo.Inference;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class InferenceResponseJsonWriterTests
{
    [Fact]
    public async Task ALargeResponseIsFlushedAsItIsWrittenAndEqualsTheBufferedOne()
    {
        var values = Enumerable.Range(0, 300_000).Select(i => i * 0.37f - 5000f).ToArray();
        var response = new InferenceResponse("m", "1", "r", [
            TensorData.From<float>("y", values, 1000, 300),
            TensorData.FromStrings("t", ["", "café", "🐟", "plain"], 2, 2),
        ]);

        var buffered = new ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(buffered))
        {
            await InferenceResponseJsonWriter.Write(writer, response);
        }
        var pipe = new RecordingPipe();
        await using (var writer = new Utf8JsonWriter(pipe))
        {
            await InferenceResponseJsonWriter.Write(writer, response, body: pipe);
        }

        pipe.Written.ShouldBe(buffered.WrittenSpan.ToArray());
        pipe.Flushes.ShouldBeGreaterThan(buffered.WrittenCount / InferenceResponseJsonWriter.FlushThreshold / 2);
        pipe.MostUnflushed.ShouldBeLessThan(InferenceResponseJsonWriter.FlushThreshold + 4096, "the body must never be held whole");
        using var parsed = JsonDocument.Parse(buffered.WrittenMemory);
        parsed.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ShouldBe(values);
        parsed.RootElement.GetProperty("outputs")[1].GetProperty("data").EnumerateArray().Select(e => e.GetString()).ShouldBe(["", "café", "🐟", "plain"]);
    }

    /// <summary>A pipe that keeps everything and records how many bytes ever waited for a flush.</summary>
    private sealed class RecordingPipe : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _all = new();
        private int _unflushed;

        public int MostUnflushed { get; private set; }

        public int Flushes { get; private set; }

        public byte[] Written => _all.WrittenSpan.ToArray();

        public override void Advance(int bytes)
        {
            _all.Advance(bytes);
            _unflushed += bytes;
            MostUnflushed = Math.Max(MostUnflushed, _unflushed);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _all.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _all.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            _unflushed = 0;
            return ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
        }

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
