using Cluster.Models;
using Cluster.Repository;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The <c>quality</c> block of config.json: what it reads, its defaults, and the mistakes it refuses.</summary>
public sealed class QualityConfigTests
{
    [Fact]
    public void AFullBlockIsReadKeyByKey()
    {
        var quality = ModelConfigFile.Parse("""
            {"quality": {"task": "classification", "output": "probs", "classes": ["cat", "dog"], "segment": "region", "retention_hours": 24}}
            """).Quality!;

        (quality.Task, quality.Output, quality.Segment, quality.RetentionHours).ShouldBe((QualityTask.Classification, "probs", "region", 24));
        quality.Classes.ShouldBe(["cat", "dog"]);
        (quality.ClassIndex("dog"), quality.ClassIndex("cow"), quality.ClassName(0), quality.ClassName(2)).ShouldBe((1, -1, "cat", null));
    }

    [Fact]
    public void OnlyTheTaskIsRequiredAndTheRestDefaultsToTheFirstOutputTheSegmentParameterAndThreeDays()
    {
        var quality = ModelConfigFile.Parse("""{"quality": {"task": "regression"}}""").Quality!;

        (quality.Task, quality.Output, quality.Classes.IsEmpty, quality.Segment, quality.RetentionHours).ShouldBe((QualityTask.Regression, null, true, "segment", 72));
        ModelConfigFile.Parse("{}").Quality.ShouldBeNull("a model without the block records no predictions");
    }

    [Fact]
    public void QualityAlertThresholdsAreReadFromTheAlertsBlock()
    {
        var monitoring = ModelConfigFile.Parse("""{"quality": {"task": "regression"}, "alerts": {"max_mae": 0.5}}""").Monitoring!;

        (monitoring.MaxMae, monitoring.MinAccuracy).ShouldBe((0.5, null));
        ModelConfigFile.Parse("""{"quality": {"task": "classification"}, "alerts": {"min_accuracy": 0.9}}""").Monitoring!.MinAccuracy.ShouldBe(0.9);
    }

    [Theory]
    [InlineData("""{"quality": {"task": "classification", "clases": ["a"]}}""", "unknown key 'quality.clases' (line 1); did you mean 'classes'?")]
    [InlineData("""{"quality": {}}""", "quality.task is required")]
    [InlineData("""{"quality": {"task": "ranking"}}""", "quality.task 'ranking' is not")]
    [InlineData("""{"quality": {"task": "regression", "classes": ["a"]}}""", "a regression model has none")]
    [InlineData("""{"quality": {"task": "classification", "classes": ["a", "a"]}}""", "must not repeat a name")]
    [InlineData("""{"quality": {"task": "classification", "retention_hours": 0}}""", "quality.retention_hours must be between 1 and 87600")]
    [InlineData("""{"quality": {"task": "classification", "segment": ""}}""", "quality.segment must name a request parameter")]
    [InlineData("""{"alerts": {"min_accuracy": 0.9}}""", "alerts.min_accuracy needs a \"quality\" block with \"task\": \"classification\"")]
    [InlineData("""{"quality": {"task": "classification"}, "alerts": {"max_mae": 1}}""", "alerts.max_mae needs a \"quality\" block")]
    [InlineData("""{"quality": {"task": "classification"}, "alerts": {"min_accuracy": 1.5}}""", "alerts.min_accuracy must be between 0 and 1")]
    public void MistakesAreRefusedWithTheKeyNamed(string json, string reason)
    {
        var error = Should.Throw<InvalidDataException>(() => ModelConfigFile.Parse(json));

        error.Message.ShouldContain(reason);
    }
}
