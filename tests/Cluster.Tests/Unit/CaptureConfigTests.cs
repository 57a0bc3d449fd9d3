using Cluster.Repository;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The <c>capture</c> block of config.json: what it turns on, its defaults, and the mistakes it refuses.</summary>
public sealed class CaptureConfigTests
{
    [Fact]
    public void AFullBlockIsReadKeyByKey()
    {
        var capture = ModelConfigFile.Parse("""
            {"capture": {"fraction": 0.1, "inputs": true, "outputs": false, "redact": ["ssn", "face"], "retention_days": 7}}
            """).Capture!;

        capture.Fraction.ShouldBe(0.1);
        capture.Inputs.ShouldBeTrue();
        capture.Outputs.ShouldBeFalse();
        capture.Redact.ShouldBe(["ssn", "face"]);
        capture.RetentionDays.ShouldBe(7);
        capture.Redacts("ssn").ShouldBeTrue();
        capture.Redacts("x").ShouldBeFalse();
    }

    [Fact]
    public void OnlyTheFractionIsRequiredAndTheRestDefaultsToEverythingForThirtyDays()
    {
        var capture = ModelConfigFile.Parse("""{"capture": {"fraction": 1}}""").Capture!;

        (capture.Inputs, capture.Outputs, capture.Redact.IsEmpty, capture.RetentionDays).ShouldBe((true, true, true, 30));
        capture.Redacts("x").ShouldBeFalse();
    }

    [Fact]
    public void WithoutABlockNothingIsCaptured()
    {
        ModelConfigFile.Parse("""{"max_batch_size": 8}""").Capture.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"capture": {"inputs": false}}""", "capture.fraction is required")]
    [InlineData("""{"capture": {"fraction": 1.5}}""", "capture.fraction must be between 0 and 1.")]
    [InlineData("""{"capture": {"fraction": -0.1}}""", "capture.fraction must be between 0 and 1.")]
    [InlineData("""{"capture": {"fraction": 0.5, "retention_days": 0}}""", "capture.retention_days must be between 1 and 3650.")]
    [InlineData("""{"capture": {"fraction": 0.5, "redact": [""]}}""", "capture.redact must list input names.")]
    [InlineData("""{"capture": {"fraction": 0.5, "retention_dais": 3}}""", "unknown key 'capture.retention_dais' (line 1); did you mean 'retention_days'?")]
    public void MistakesAreNamedByKey(string json, string problem)
    {
        Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json)).Message.ShouldContain(problem);
    }
}
