extern alias silo;
using System.Text;
using Cluster.Errors;
using Cluster.Rollouts;
using silo::Cluster.Silo.Traffic;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The rollout plan's accuracy gate keys as the HTTP API reads them.</summary>
public sealed class RolloutPlanJsonTests
{
    private static RolloutPlan Read(string json) => RolloutJson.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void TheAccuracyGateAndItsLabelCountAreRead()
    {
        var gates = Read("""{"target": "2", "steps": [{"weight": 10, "duration_seconds": 60}], "gates": {"min_accuracy_delta": -0.02, "min_labels": 250}}""").Gates;

        (gates.MinAccuracyDelta, gates.MinLabels).ShouldBe((-0.02, 250L));
        Read("""{"target": "2", "steps": [{"weight": 10, "duration_seconds": 60}], "gates": {"min_accuracy_delta": -0.05}}""").Gates.MinLabels
            .ShouldBe(RolloutGates.DefaultMinLabels, "100 labels per arm unless the plan says otherwise");
        Read("""{"target": "2", "steps": [{"weight": 10, "duration_seconds": 60}]}""").Gates.MinAccuracyDelta.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"min_labels": 0}""", "min_labels")]
    [InlineData("""{"min_labels": 1.5}""", "min_labels")]
    [InlineData("""{"min_accuracy_delta": "a lot"}""", "min_accuracy_delta")]
    public void WrongValuesAreRefusedNamingTheKey(string gates, string key) =>
        Should.Throw<InvalidInferenceRequestException>(() => Read($$"""{"target": "2", "steps": [{"weight": 10, "duration_seconds": 60}], "gates": {{gates}}}"""))
            .Message.ShouldContain(key);
}
