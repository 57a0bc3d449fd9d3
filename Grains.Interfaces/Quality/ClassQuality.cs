namespace Cluster.Quality;

/// <summary>One class's figures: of the labelled predictions, how well the model finds this class.</summary>
/// <param name="Class">Class index.</param>
/// <param name="Name">Class name, where the quality config names classes.</param>
/// <param name="Support">Labelled predictions whose true class this is.</param>
/// <param name="Precision">Of the predictions of this class, the share that were right (0 when none was predicted).</param>
/// <param name="Recall">Of the predictions truly of this class, the share predicted so (0 without support).</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are).</param>
[GenerateSerializer, Immutable, Alias("Cluster.ClassQuality")]
public sealed record ClassQuality(int Class, string? Name, long Support, double Precision, double Recall, double F1);
