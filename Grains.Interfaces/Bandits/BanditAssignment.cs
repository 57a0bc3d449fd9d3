namespace Cluster.Bandits;

/// <summary>Which arm a router chose for a request, and with what probability (needed to weigh its reward).</summary>
/// <param name="RequestId">The request id the caller will post feedback for.</param>
/// <param name="Version">The version that served it.</param>
/// <param name="Probability">The probability the arm had when it was drawn.</param>
[GenerateSerializer, Immutable, Alias("Cluster.BanditAssignment")]
public sealed record BanditAssignment(string RequestId, string Version, double Probability);
