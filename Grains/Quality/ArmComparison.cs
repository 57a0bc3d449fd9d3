using Cluster.Models;
using MathNet.Numerics.Distributions;

namespace Cluster.Quality;

/// <summary>
/// Compares two arms of a split or rollout on ground truth: each arm's accuracy (or MAE), and the
/// difference between them with its 95 % confidence interval. Accuracy: the two-proportion normal
/// (Wald) interval, p₁ − p₂ ± z·√(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂). Mean absolute errors: Welch's interval,
/// m₁ − m₂ ± t(ν)·√(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite degrees of freedom ν, since the arms'
/// error spreads need not be equal.
/// </summary>
public static class ArmComparison
{
    /// <summary>The standard normal's 97.5th percentile: a two-sided 95 % interval.</summary>
    public static readonly double Z95 = Normal.InvCDF(0, 1, 0.975);

    /// <summary>An arm's figures for its task.</summary>
    public static ArmQuality Of(QualitySums sums, QualityTask task) => sums.Labelled <= 0
        ? new ArmQuality(0, null, null)
        : task == QualityTask.Classification
            ? new ArmQuality(sums.Labelled, (double)sums.Correct / sums.Labelled, null)
            : new ArmQuality(sums.Labelled, null, sums.AbsoluteErrorSum / sums.Labelled);

    /// <summary>The difference of <paramref name="arm"/> minus <paramref name="reference"/> for the task; null when either has too few labels to say.</summary>
    public static QualityInterval? Difference(QualitySums arm, QualitySums reference, QualityTask task) => task == QualityTask.Classification
        ? AccuracyDifference(arm.Correct, arm.Labelled, reference.Correct, reference.Labelled)
        : MaeDifference(arm, reference);

    /// <summary>Accuracy of arm 1 minus arm 2 (correct / labelled each); null when either arm has no labels.</summary>
    public static QualityInterval? AccuracyDifference(long correct1, long labelled1, long correct2, long labelled2)
    {
        if (labelled1 <= 0 || labelled2 <= 0) return null;
        var p1 = (double)correct1 / labelled1;
        var p2 = (double)correct2 / labelled2;
        var halfWidth = Z95 * Math.Sqrt(p1 * (1 - p1) / labelled1 + p2 * (1 - p2) / labelled2);
        return new QualityInterval(p1 - p2, p1 - p2 - halfWidth, p1 - p2 + halfWidth);
    }

    /// <summary>Mean absolute error of arm 1 minus arm 2; null unless each has at least two labels (a variance needs them).</summary>
    public static QualityInterval? MaeDifference(QualitySums arm1, QualitySums arm2)
    {
        if (arm1.Labelled < 2 || arm2.Labelled < 2) return null;
        var (mean1, share1) = MeanAndShare(arm1);
        var (mean2, share2) = MeanAndShare(arm2);
        var variance = share1 + share2;
        var difference = mean1 - mean2;
        // Every error equal in both arms: no spread, so the difference is exact.
        if (variance <= 0) return new QualityInterval(difference, difference, difference);
        var freedom = variance * variance / (share1 * share1 / (arm1.Labelled - 1) + share2 * share2 / (arm2.Labelled - 1));
        var halfWidth = StudentT.InvCDF(0, 1, freedom, 0.975) * Math.Sqrt(variance);
        return new QualityInterval(difference, difference - halfWidth, difference + halfWidth);
    }

    // The arm's mean absolute error and its term s²/n of the difference's variance (s² the absolute errors' sample variance).
    private static (double Mean, double Share) MeanAndShare(QualitySums sums)
    {
        var n = (double)sums.Labelled;
        var mean = sums.AbsoluteErrorSum / n;
        var variance = Math.Max(0, (sums.SquaredErrorSum - sums.AbsoluteErrorSum * mean) / (n - 1));
        return (mean, variance / n);
    }
}
