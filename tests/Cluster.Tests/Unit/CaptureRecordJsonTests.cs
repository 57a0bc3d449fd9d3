using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>
/// Records are stored with tensors as base64 bytes (cheap to write at full capture) and exported in v2 JSON form:
/// every datatype comes back exact, non-UTF-8 BYTES as base64 elements, redacted inputs as shape and datatype alone.
/// </summary>
public sealed class CaptureRecordJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static (string Stored, JsonElement Exported) RoundTrip(ImmutableArray<TensorData> inputs, ImmutableArray<TensorData> outputs, CaptureConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("leftover bytes of an earlier record"u8);
        var captured = new CapturedRequest("m", "2", "primary", new InferenceRequest("req-1", inputs, [], RoutingKey: "user-9"), outputs, config,
            "0af7651916cd43dd8448eb211c80319c", At, TimeSpan.FromMilliseconds(1.5), "success", null)
        {
            QueueTime = outputs.IsDefault ? null : TimeSpan.FromMilliseconds(0.25),
            ComputeTime = outputs.IsDefault ? null : TimeSpan.FromMilliseconds(1.125),
        };
        var record = CaptureRecordJson.Append(captured, buffer);
        var stored = Encoding.UTF8.GetString(record.Json.Span);
        (record.Id, record.Model, record.Version, record.CompletedAt).ShouldBe(("req-1", "m", "2", At.AddMilliseconds(1.5)));
        CaptureLineFields.TryRead(stored, out var version, out var completedAt).ShouldBeTrue();
        (version, completedAt).ShouldBe(("2", At.AddMilliseconds(1.5)));
        return (stored, JsonDocument.Parse(CaptureExportJson.ToExported(stored)).RootElement.Clone());
    }

    [Fact]
    public void NumericTensorsAreStoredAsBytesAndExportedAsExactV2Data()
    {
        float[] x = [1.5f, -0f, float.NaN, float.PositiveInfinity, 3.4028235e38f, 1e-45f];
        long[] y = [long.MinValue, 0, long.MaxValue];
        var (stored, exported) = RoundTrip([TensorData.From<float>("x", x, 2, 3)], [TensorData.From<long>("y", y, 3)], new CaptureConfig(1));

        stored.ShouldContain("\"raw\":");
        stored.ShouldNotContain("\"data\"");
        (exported.GetProperty("id").GetString(), exported.GetProperty("trace_id").GetString(), exported.GetProperty("routing_key").GetString())
            .ShouldBe(("req-1", "0af7651916cd43dd8448eb211c80319c", "user-9"));
        var input = exported.GetProperty("inputs").EnumerateArray().Single();
        input.GetProperty("datatype").GetString().ShouldBe("FP32");
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([2L, 3L]);
        input.TryGetProperty("raw", out _).ShouldBeFalse();
        var data = input.GetProperty("data").EnumerateArray().ToArray();
        data[2].GetString().ShouldBe("NaN");
        data[3].GetString().ShouldBe("Infinity");
        foreach (var i in new[] { 0, 1, 4, 5 }) BitConverter.SingleToInt32Bits(data[i].GetSingle()).ShouldBe(BitConverter.SingleToInt32Bits(x[i]), $"element {i}");
        exported.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetInt64()).ShouldBe(y);
        (exported.GetProperty("duration_ms").GetDouble(), exported.GetProperty("queue_ms").GetDouble(), exported.GetProperty("compute_ms").GetDouble()).ShouldBe((1.5, 0.25, 1.125));
    }

    [Fact]
    public void BytesTensorsExportAsStringsOrAsBase64WhenNotUtf8()
    {
        var text = TensorData.FromStrings("words", ["héllo", ""], 2);
        var binary = TensorData.FromByteStrings("blob", [[0xff, 0x00, 0xfe], [0x41]], 2);
        var (_, exported) = RoundTrip([text, binary], default, new CaptureConfig(1));

        var inputs = exported.GetProperty("inputs");
        inputs[0].GetProperty("data").EnumerateArray().Select(e => e.GetString()).ShouldBe(["héllo", ""]);
        inputs[1].TryGetProperty("data", out _).ShouldBeFalse();
        inputs[1].GetProperty("data_base64").EnumerateArray().Select(e => e.GetBytesFromBase64()).ShouldBe([[0xff, 0x00, 0xfe], [0x41]]);
        exported.TryGetProperty("outputs", out _).ShouldBeFalse("a failed request has no outputs to record");
        exported.TryGetProperty("queue_ms", out _).ShouldBeFalse("no batch worker answered it");
    }

    [Fact]
    public void ARedactedInputKeepsOnlyItsNameDatatypeAndShape()
    {
        var (stored, exported) = RoundTrip(
            [TensorData.From<int>("secret", [7, 8], 2), TensorData.From<int>("open", [9], 1)], [TensorData.From<int>("out", [1], 1)],
            new CaptureConfig(1, Outputs: false, Redact: ["secret"]));

        stored.ShouldNotContain(Convert.ToBase64String(BitConverter.GetBytes(7).Concat(BitConverter.GetBytes(8)).ToArray()));
        var secret = exported.GetProperty("inputs")[0];
        secret.GetProperty("redacted").GetBoolean().ShouldBeTrue();
        secret.GetProperty("shape")[0].GetInt64().ShouldBe(2);
        secret.TryGetProperty("data", out _).ShouldBeFalse();
        exported.GetProperty("inputs")[1].GetProperty("data")[0].GetInt32().ShouldBe(9);
        exported.TryGetProperty("outputs", out _).ShouldBeFalse();
    }

    [Fact]
    public void RecordsStoredInTheEarlierV2FormPassThroughUnchanged()
    {
        const string earlier = """{"id":"a","version":"1","completed_at":"2026-03-01T12:00:00+00:00","inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2]}]}""";

        JsonDocument.Parse(CaptureExportJson.ToExported(earlier)).RootElement.GetRawText().ShouldBe(JsonDocument.Parse(earlier).RootElement.GetRawText());
    }
}
