using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// Decides a switch step for one request: the condition holds when it holds for any row, so a
/// request is answered by the 'then' branch as soon as one of its rows needs it.
/// </summary>
public static class SwitchCondition
{
    /// <summary>True when <paramref name="step"/>'s test holds for some row of <paramref name="scores"/>.</summary>
    public static bool Holds(SwitchStep step, TensorData scores)
    {
        var values = TensorCombiner.Doubles(scores);
        var classes = (int)scores.Shape[^1];
        if (classes == 0) return false;
        for (var row = 0; row + classes <= values.Length; row += classes)
        {
            var span = values.AsSpan(row, classes);
            var argmax = TensorMath.ArgMax<double>(span);
            var holds = step.Test switch
            {
                SwitchTest.MaxBelow => span[argmax] < step.Value,
                _ => argmax == (int)step.Value,
            };
            if (holds) return true;
        }
        return false;
    }
}
