using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>Prediction capture of a model (config.json <c>capture</c>): which share of requests is recorded, with what, and for how long.</summary>
/// <param name="Fraction">Share of requests recorded, 0–1; 0 turns capture off.</param>
/// <param name="Inputs">Record the inputs (in v2 JSON form).</param>
/// <param name="Outputs">Record the outputs.</param>
/// <param name="Redact">Inputs recorded only by shape and datatype, never their values.</param>
/// <param name="RetentionDays">Days a record is kept before it is pruned.</param>
[GenerateSerializer, Immutable, Alias("Cluster.CaptureConfig")]
public sealed record CaptureConfig(double Fraction, bool Inputs = true, bool Outputs = true, ImmutableArray<string> Redact = default, int RetentionDays = CaptureConfig.DefaultRetentionDays)
{
    /// <summary>Retention when config.json names none.</summary>
    public const int DefaultRetentionDays = 30;

    /// <summary>Whether the input named <paramref name="name"/> is kept out of records.</summary>
    public bool Redacts(string name) => !Redact.IsDefaultOrEmpty && Redact.Contains(name, StringComparer.Ordinal);
}
