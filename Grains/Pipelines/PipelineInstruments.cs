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
        _branches = meter.CreateCounter<long>("cluster.pipeline.switch.branches", description: "Rows a pipeline's switch step sent down each branch (then, else); each row of a batched request goes its own way.");
    }

    /// <summary>Counts the rows one request's switch step sent down each branch.</summary>
    public void RecordBranch(string pipeline, string version, string step, int thenRows, int elseRows)
    {
        if (!_branches.Enabled) return;
        if (thenRows > 0) _branches.Add(thenRows, new("model", pipeline), new("version", version), new("step", step), new("branch", "then"));
        if (elseRows > 0) _branches.Add(elseRows, new("model", pipeline), new("version", version), new("step", step), new("branch", "else"));
    }
}
