using System.Diagnostics.Metrics;
using Cluster.Telemetry;

namespace Cluster.Pipelines;

/// <summary>Pipeline metrics, on the inference meter: which branch each switch step took.</summary>
public sealed class PipelineInstruments
{
    private readonly Counter<long> _branches;

    /// <summary>Creates the instruments once, from the host's meter factory.</summary>
    public PipelineInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InferenceInstruments.MeterName);
        _branches = meter.CreateCounter<long>("cluster.pipeline.switch.branches", description: "Requests a pipeline's switch step sent down each branch (then, else).");
    }

    /// <summary>Counts one decision of a switch step.</summary>
    public void RecordBranch(string pipeline, string version, string step, bool then)
    {
        if (_branches.Enabled) _branches.Add(1, new("model", pipeline), new("version", version), new("step", step), new("branch", then ? "then" : "else"));
    }
}
