using Cluster.Inference;
using Cluster.Placement;
using Cluster.Tensors;
using Microsoft.Extensions.Logging;

namespace Cluster.Batching;

/// <summary>Runs a batch on a replica, again elsewhere when that replica's silo goes away or the replica stays silent.</summary>
public sealed partial class BatchWorkerGrain
{
    /// <summary>A run of one batch; its replica changes when the replica's silo goes away.</summary>
    private sealed class Attempt(int replica)
    {
        public int Replica { get; set; } = replica;
    }

    /// <summary>
    /// Runs a batch on its replica. When that replica has not answered within the scheduler's hedge delay, a second
    /// replica is sent the batch too and the first answer serves the callers (inference is idempotent). The run left
    /// behind keeps its replica's slot until it ends, so new batches go to replicas that answer. Also says whether the
    /// batch was hedged: the other run may then still read the joined inputs.
    /// </summary>
    private async Task<(ReplicaBatchResult Result, bool Hedged)> Answer(ScheduledBatch batch, ReplicaBatch joined)
    {
        var first = new Attempt(batch.Replica);
        var running = RunOnReplica(first, joined);
        if (!running.IsCompleted && _scheduler.HedgeAfter is { } after && !await AnswersWithin(running, after)
            && _scheduler.Hedge(first.Replica, time.GetTimestamp()) is { } other)
        {
            return (await Race(batch, first, running, new Attempt(other), joined), true);
        }
        try
        {
            return (await running, false);
        }
        finally
        {
            batch.Replica = first.Replica;
        }
    }

    private async Task<bool> AnswersWithin(Task running, TimeSpan after)
    {
        try
        {
            await running.WaitAsync(after, time);
        }
        catch (TimeoutException) when (!running.IsCompleted)
        {
            return false;
        }
        catch (Exception) when (running.IsCompleted)
        {
            // It answered with a failure, which its caller sees when it awaits it.
        }
        return true;
    }

    /// <summary>Both runs go on; the first to answer serves, and the batch takes its replica's slot.</summary>
    private async Task<ReplicaBatchResult> Race(ScheduledBatch batch, Attempt first, Task<ReplicaBatchResult> firstRun, Attempt second, ReplicaBatch joined)
    {
        LogHedged(logger, _model, _version, first.Replica, second.Replica, _scheduler.HedgeAfter?.TotalSeconds ?? 0);
        var secondRun = RunOnReplica(second, joined);
        var ended = await Task.WhenAny(firstRun, secondRun);
        var (lead, trail, trailRun) = ended == firstRun ? (first, second, secondRun) : (second, first, firstRun);
        if (!ended.IsCompletedSuccessfully)
        {
            // The first to end failed: its replica is free, and the other run's answer, or failure, stands.
            _scheduler.Release(lead.Replica);
            try
            {
                return await trailRun;
            }
            finally
            {
                batch.Replica = trail.Replica;
            }
        }
        batch.Replica = lead.Replica;
        _ = ReleaseWhenDone(trail, trailRun);
        return ended.Result;
    }

    /// <summary>The run that lost the race holds its replica's slot until it ends (at most Orleans' response timeout).</summary>
    private async Task ReleaseWhenDone(Attempt attempt, Task running)
    {
        try
        {
            await running;
        }
        catch (Exception)
        {
            // Its batch was answered by the other run; this failure serves nobody.
        }
        _scheduler.Release(attempt.Replica);
        Pump();
    }

    /// <summary>Runs a batch, again on another replica after a pause while the scheduler allows it when the replica's silo goes away.</summary>
    private async Task<ReplicaBatchResult> RunOnReplica(Attempt attempt, ReplicaBatch joined)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                var result = await Replica(attempt.Replica).Run(joined);
                // Outputs from a replica on another silo are read into lent arrays nobody may claim (see TensorBuffers.Disown).
                TensorBuffers.Disown(result.Outputs);
                return result;
            }
            catch (Exception ex) when (SiloFailures.IsSiloLost(ex) && _scheduler.AfterSiloLoss(attempt.Replica, tries, time.GetTimestamp()) is { } next)
            {
                attempt.Replica = next.Replica;
                await Task.Delay(next.Pause, time);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version}: replica {Silent} did not answer a batch in {Seconds:F0} s; replica {Other} was sent it too")]
    private static partial void LogHedged(ILogger logger, string model, string version, int silent, int other, double seconds);
}
