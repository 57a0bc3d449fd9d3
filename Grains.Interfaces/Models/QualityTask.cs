namespace Cluster.Models;

/// <summary>What a model predicts, which decides how its predictions are compared with ground truth.</summary>
[GenerateSerializer, Alias("Cluster.QualityTask")]
public enum QualityTask
{
    /// <summary>A class: the argmax over the output's last dimension, compared by accuracy, precision, recall, F1 and calibration.</summary>
    Classification,

    /// <summary>A number: the output's first value per row, compared by mean absolute, root mean squared and mean error.</summary>
    Regression,
}
