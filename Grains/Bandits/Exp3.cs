namespace Cluster.Bandits;

/// <summary>
/// Exp3 (Auer et al.), kept as log-weights so they never overflow: arm i is drawn with
/// p_i = (1 − γ)·w_i / Σw + γ / K, and a reward r for the drawn arm adds γ·(r / p_i) / K to its
/// log-weight, the importance weighting that keeps the estimate unbiased whatever was drawn.
/// A new arm starts at the best current log-weight, so adding one never starves it.
/// </summary>
public sealed class Exp3(IDictionary<string, double> logWeights)
{
    /// <summary>The probabilities of <paramref name="arms"/> with exploration <paramref name="gamma"/>.</summary>
    public Dictionary<string, double> Probabilities(IReadOnlyCollection<string> arms, double gamma)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (arms.Count == 0) return result;
        var start = logWeights.Count == 0 ? 0 : logWeights.Values.Max();
        foreach (var arm in arms)
        {
            if (!logWeights.ContainsKey(arm)) logWeights[arm] = start;
        }
        var top = arms.Max(a => logWeights[a]);
        var total = arms.Sum(a => Math.Exp(logWeights[a] - top));
        foreach (var arm in arms) result[arm] = (1 - gamma) * Math.Exp(logWeights[arm] - top) / total + gamma / arms.Count;
        return result;
    }

    /// <summary>Credits <paramref name="reward"/> to <paramref name="arm"/>, drawn with <paramref name="probability"/> among <paramref name="arms"/> arms.</summary>
    public void Reward(string arm, double reward, double probability, double gamma, int arms)
    {
        if (probability <= 0 || arms <= 0) return;
        logWeights[arm] = (logWeights.TryGetValue(arm, out var current) ? current : 0) + gamma * (reward / probability) / arms;
    }
}
