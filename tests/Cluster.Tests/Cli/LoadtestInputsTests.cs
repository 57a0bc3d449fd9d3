extern alias cli;
using System.Text.Json;
using cli::Cluster.Cli;
using cli::Cluster.Cli.Loadtest;
using Shouldly;

namespace Cluster.Tests.Cli;

/// <summary>The load tester's pure parts: inputs from a signature or a file, their bytes, percentiles.</summary>
public sealed class LoadtestInputsTests
{
    private static readonly JsonElement Metadata = JsonDocument.Parse("""
        {"name": "m", "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 3, -1]}, {"name": "t", "datatype": "BYTES", "shape": [-1, 2]}]}
        """).RootElement;

    [Fact]
    public void DynamicDimensionsBecomeOneUnlessAShapeIsGiven()
    {
        var inputs = SignatureInputs.Create(Metadata, new Dictionary<string, long[]> { ["x"] = [2, 3, 5] });
        inputs[0].Shape.ShouldBe([2L, 3, 5]);
        inputs[0].Numbers!.Length.ShouldBe(30);
        inputs[0].Numbers!.ShouldAllBe(v => v >= 0 && v < 1);
        inputs[1].Shape.ShouldBe([1L, 2]);
        inputs[1].Texts!.Length.ShouldBe(2);
    }

    [Fact]
    public void AShapeThatContradictsTheSignatureOrNamesNoInputIsAUsageError()
    {
        Should.Throw<UsageException>(() => SignatureInputs.Create(Metadata, new Dictionary<string, long[]> { ["x"] = [2, 4, 5] }));
        Should.Throw<UsageException>(() => SignatureInputs.Create(Metadata, new Dictionary<string, long[]> { ["y"] = [1] }));
        Should.Throw<UsageException>(() => SignatureInputs.ParseShape("x:1,a"));
        SignatureInputs.ParseShape("image:1,3,48,192").ShouldBe(new KeyValuePair<string, long[]>("image", [1, 3, 48, 192]), new ShapeComparer());
    }

    [Fact]
    public void RawBytesAreLittleEndianAndBytesElementsAreLengthPrefixed()
    {
        new InputTensor("a", "INT8", [2], [-1, 5], null).Raw().ShouldBe(new byte[] { 0xFF, 5 });
        new InputTensor("a", "FP16", [1], [1.0], null).Raw().ShouldBe(new byte[] { 0x00, 0x3C });
        new InputTensor("a", "BOOL", [2], [1, 0], null).Raw().ShouldBe(new byte[] { 1, 0 });
        new InputTensor("a", "BYTES", [2], null, ["ab", ""]).Raw().ShouldBe(new byte[] { 2, 0, 0, 0, (byte)'a', (byte)'b', 0, 0, 0, 0 });
    }

    [Fact]
    public void AFileRequestIsReadFlatOrNestedAndItsCountsChecked()
    {
        var path = Path.Combine(Path.GetTempPath(), "cli-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            File.WriteAllText(path, """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 2], "data": [[1, "NaN"], [true, 4]]}]}""");
            var input = FileInputs.Read(path).Single();
            input.Numbers!.Length.ShouldBe(4);
            double.IsNaN(input.Numbers[1]).ShouldBeTrue();
            input.Numbers[2].ShouldBe(1);

            File.WriteAllText(path, """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 2], "data": [1, 2, 3]}]}""");
            Should.Throw<UsageException>(() => FileInputs.Read(path)).Message.ShouldContain("3 values");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PercentilesAreNearestRankOverSuccessfulRequests()
    {
        var recorder = new LatencyRecorder();
        for (var ms = 1; ms <= 100; ms++) recorder.Success(ms);
        recorder.Failure("boom");
        var percentile = recorder.Percentiles();
        percentile(0.50).ShouldBe(50);
        percentile(0.99).ShouldBe(99);
        percentile(1.0).ShouldBe(100);
        recorder.Failures.ShouldBe(1);
        recorder.FirstError.ShouldBe("boom");
    }

    private sealed class ShapeComparer : IEqualityComparer<KeyValuePair<string, long[]>>
    {
        public bool Equals(KeyValuePair<string, long[]> a, KeyValuePair<string, long[]> b) => a.Key == b.Key && a.Value.SequenceEqual(b.Value);

        public int GetHashCode(KeyValuePair<string, long[]> pair) => pair.Key.GetHashCode(StringComparison.Ordinal);
    }
}
