namespace Cluster.Quality;

/// <summary>
/// A difference between two arms' quality (the arm judged minus the one it is compared with: accuracy
/// points, or mean absolute error) with its 95 % confidence interval.
/// </summary>
/// <param name="Difference">The observed difference.</param>
/// <param name="Low">Lower end of the 95 % confidence interval.</param>
/// <param name="High">Upper end of the 95 % confidence interval.</param>
[GenerateSerializer, Immutable, Alias("Cluster.QualityInterval")]
public sealed record QualityInterval(double Difference, double Low, double High);
