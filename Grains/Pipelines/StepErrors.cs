using Cluster.Errors;

namespace Cluster.Pipelines;

/// <summary>
/// Puts the failing step's name in front of a step's error while keeping its kind, so a step's
/// full queue is still a 429 and a step that is not ready still a 503, now saying which step.
/// </summary>
internal static class StepErrors
{
    public static Exception Name(string pipeline, PipelineStep step, Exception error)
    {
        var where = step is ModelStep model ? $"Pipeline '{pipeline}' step '{step.Name}' (model '{model.Model}')" : $"Pipeline '{pipeline}' step '{step.Name}'";
        var message = $"{where}: {error.Message}";
        return error switch
        {
            OperationCanceledException => error,
            InvalidInferenceRequestException => new InvalidInferenceRequestException(message),
            DeadlineExceededException => new DeadlineExceededException(message),
            QueueFullException full => new QueueFullException(message, full.RetryAfter),
            ModelNotFoundException or ModelNotReadyException or ReplicaRetiredException => new ModelNotReadyException(message),
            _ => new InferenceFailedException(message),
        };
    }
}
