using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Telemetry;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class InferenceMetricsTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task RequestsAndBatchesAreCountedPerModelAndVersion()
    {
        var model = $"metrics-{Guid.NewGuid():N}";
        var measurements = new ConcurrentBag<(string Instrument, double Value, string? Model, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == InferenceInstruments.MeterName) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Tag(tags, "model"), Tag(tags, "outcome"))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Tag(tags, "model"), Tag(tags, "outcome"))));
        listener.Start();
        using var repository = new TemporaryRepository();
        var onnx = TestModels.Scale(2f);
        var path = repository.Add(model, "1", onnx);
        await fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "1")).Register(new VersionRegistration("1", path, Convert.ToHexStringLower(SHA256.HashData(onnx)), ModelConfig.Default));
        var router = fixture.Grains.GetGrain<IRouterGrain>(model);

        await router.Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f, 2, 3, 4, 5, 6], 3, 2)], []), null);
        await Should.ThrowAsync<Cluster.Errors.InvalidInferenceRequestException>(() => router.Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f], 1, 1)], []), null));

        var mine = measurements.Where(m => m.Model == model).ToList();
        mine.Count(m => m.Instrument == "cluster.inference.requests" && m.Outcome == "success").ShouldBe(1);
        mine.Count(m => m.Instrument == "cluster.inference.requests" && m.Outcome == "invalid").ShouldBe(1);
        mine.Single(m => m.Instrument == "cluster.inference.batch.rows").Value.ShouldBe(3);
        mine.Single(m => m.Instrument == "cluster.inference.compute.duration").Value.ShouldBeGreaterThan(0);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key) return tag.Value as string;
        }
        return null;
    }
}
