using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>Decides a switch step for each row of a request: rows the test holds for go down 'then', the others down 'else'.</summary>
public static class SwitchCondition
{
    /// <summary>Per row of <paramref name="scores"/> ([rows, classes], or [classes] for one row): whether <paramref name="step"/>'s test holds.</summary>
    public static bool[] Rows(SwitchStep step, TensorData scores)
    {
        var values = TensorCombiner.Doubles(scores);
        var classes = (int)scores.Shape[^1];
        if (classes == 0) return new bool[scores.Shape.Length == 1 ? 1 : (int)scores.Shape[0]];
        var holds = new bool[values.Length / classes];
        for (var row = 0; row < holds.Length; row++)
        {
            var span = values.AsSpan(row * classes, classes);
            var argmax = TensorMath.ArgMax<double>(span);
            holds[row] = step.Test switch
            {
                SwitchTest.MaxBelow => span[argmax] < step.Value,
                _ => argmax == (int)step.Value,
            };
        }
        return holds;
    }
}
