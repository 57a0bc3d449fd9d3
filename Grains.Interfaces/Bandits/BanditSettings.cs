namespace Cluster.Bandits;

/// <summary>
/// Turns a split into an Exp3 bandit (the adversarial bandit Clipper uses for model selection):
/// callers post a reward in [0, 1] per request id and traffic shifts toward the arm that earns more.
/// </summary>
/// <param name="Exploration">γ in (0, 1]: the share of traffic spread evenly over all arms whatever they earn, and the learning rate.</param>
[GenerateSerializer, Immutable, Alias("Cluster.BanditSettings")]
public sealed record BanditSettings(double Exploration = 0.1);
