namespace Cluster.Quality;

/// <summary>Labelled predictions whose top probability fell in one tenth of [0, 1]: how sure the model was against how often it was right.</summary>
/// <param name="Bin">0–9: confidence in [Bin/10, (Bin+1)/10), the last bin including 1.</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="ConfidenceSum">Sum of their top probabilities.</param>
/// <param name="Correct">How many of them were right.</param>
[GenerateSerializer, Immutable, Alias("Cluster.CalibrationBin")]
public sealed record CalibrationBin(int Bin, long Count, double ConfidenceSum, long Correct);
