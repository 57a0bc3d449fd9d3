namespace Cluster.Quality;

/// <summary>
/// The few sums comparing two arms needs, cut from a <see cref="QualitySummary"/>: small enough to keep
/// in a rollout's state, and subtractable, so a rollout judges only labels that arrived since it began.
/// </summary>
/// <param name="Labelled">Labelled predictions.</param>
/// <param name="Correct">Classification: predictions whose class was the label's.</param>
/// <param name="AbsoluteErrorSum">Regression: Σ |predicted − true|.</param>
/// <param name="SquaredErrorSum">Regression: Σ (predicted − true)², which is also Σ |predicted − true|², for the variance of the absolute errors.</param>
[GenerateSerializer, Immutable, Alias("Cluster.QualitySums")]
public sealed record QualitySums(long Labelled, long Correct, double AbsoluteErrorSum, double SquaredErrorSum)
{
    /// <summary>Nothing labelled.</summary>
    public static QualitySums Empty { get; } = new(0, 0, 0, 0);

    /// <summary>The sums of a summary.</summary>
    public static QualitySums Of(QualitySummary summary) => new(
        summary.Labelled,
        summary.Confusion.IsDefault ? 0 : summary.Confusion.Where(c => c.Actual == c.Predicted).Sum(c => c.Count),
        summary.AbsoluteErrorSum,
        summary.SquaredErrorSum);

    /// <summary>What was added since <paramref name="earlier"/>.</summary>
    public QualitySums Minus(QualitySums earlier) =>
        new(Labelled - earlier.Labelled, Correct - earlier.Correct, AbsoluteErrorSum - earlier.AbsoluteErrorSum, SquaredErrorSum - earlier.SquaredErrorSum);
}
