using Cluster.Grains;
using Cluster.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Alerts;

/// <summary>
/// One receiver's queue. A transition is taken once (its id is remembered, so a duplicate from another
/// silo or a re-sent notification is dropped), stored before <see cref="Enqueue"/> answers, and sent in
/// order by a pump that runs beside the grain's requests: a receiver being retried for a minute never
/// holds up the stats grain that reported the alert, nor other receivers.
/// </summary>
public sealed partial class AlertDeliveryGrain(
    [PersistentState("alert-deliveries", ModelStorage.Name)] IPersistentState<AlertDeliveryState> state,
    WebhookSender sender,
    AlertInstruments instruments,
    TimeProvider time,
    IOptions<AlertDeliveryOptions> options,
    ILogger<AlertDeliveryGrain> logger) : Grain, IAlertDeliveryGrain
{
    // Transitions are rare (a threshold crossing, then its clearing); a duplicate comes within seconds of the original.
    private const int TakenKept = 1024;
    private readonly CancellationTokenSource _deactivating = new();
    private Task _pump = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // What was queued when the last activation ended (or its silo died) is sent now.
        StartPump();
        return Task.CompletedTask;
    }

    public async Task<bool> Enqueue(AlertReceiver receiver, AlertTransition transition)
    {
        var taken = state.State.Taken;
        if (taken.Contains(transition.Id, StringComparer.Ordinal))
        {
            instruments.RecordDuplicate(transition.State);
            LogDuplicate(logger, transition.Id, receiver.Url);
            return false;
        }
        taken.Add(transition.Id);
        if (taken.Count > TakenKept) taken.RemoveRange(0, taken.Count - TakenKept);
        state.State.Pending.Add(new PendingDelivery(receiver, transition));
        await Save();
        StartPump();
        return true;
    }

    public Task<AlertDeliveryLog> GetLog() => Task.FromResult(new AlertDeliveryLog([.. state.State.Recent], state.State.Pending.Count));

    private void StartPump()
    {
        if (_pump.IsCompleted && state.State.Pending.Count > 0) _pump = Pump();
    }

    /// <summary>Sends the queue head to tail; not awaited by requests, it runs on the grain's scheduler between and beside them.</summary>
    private async Task Pump()
    {
        try
        {
            while (state.State.Pending.Count > 0 && !_deactivating.IsCancellationRequested)
            {
                var next = state.State.Pending[0];
                // A pump is no request: without this, an activation idle for requests could be collected mid-retry.
                DelayDeactivation(options.Value.Longest + TimeSpan.FromMinutes(1));
                var result = await sender.Send(next.Receiver, next.Transition, _deactivating.Token);
                Record(next, result);
                await Save();
            }
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            // Deactivating: the head stays queued in state and is sent by the next activation.
        }
        catch (Exception ex)
        {
            LogPumpFailed(logger, this.GetPrimaryKeyString(), ex);
        }
    }

    private void Record(PendingDelivery sent, WebhookResult result)
    {
        var (receiver, transition) = (sent.Receiver, sent.Transition);
        state.State.Pending.RemoveAt(0);
        var recent = state.State.Recent;
        recent.Insert(0, new AlertDelivery(receiver.Id, receiver.Url, transition, result.StatusCode, result.Attempts, result.Delivered, result.Error, time.GetUtcNow()));
        if (recent.Count > options.Value.RecentDeliveries) recent.RemoveRange(options.Value.RecentDeliveries, recent.Count - options.Value.RecentDeliveries);
        instruments.RecordDelivery(result.Delivered, transition.State, result.Attempts);
        if (result.Delivered) LogDelivered(logger, transition.Id, receiver.Url, result.Attempts);
        else LogFailed(logger, transition.Id, receiver.Url, result.Attempts, result.Error);
    }

    /// <summary>
    /// Requests and the pump interleave at their awaits, and storage takes one write of a grain at a time
    /// (the second would carry a stale etag): each write waits for the one before, then stores the state as it is then.
    /// </summary>
    private Task Save()
    {
        var previous = _writing;
        _writing = WriteAfter(previous);
        return _writing;
    }

    private async Task WriteAfter(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // The caller of that write saw its failure; this write stores everything anyway.
        }
        await state.WriteStateAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        await _pump;
        try
        {
            await _writing;
        }
        catch (Exception ex)
        {
            LogPumpFailed(logger, this.GetPrimaryKeyString(), ex);
        }
        _deactivating.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert transition {Transition} already taken for {Url}; dropped the duplicate")]
    private static partial void LogDuplicate(ILogger logger, string transition, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert transition {Transition} delivered to {Url} ({Attempts} attempts)")]
    private static partial void LogDelivered(ILogger logger, string transition, string url, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert transition {Transition} not delivered to {Url} after {Attempts} attempts: {Error}")]
    private static partial void LogFailed(ILogger logger, string transition, string url, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery to receiver {Receiver} stopped; the queue resumes with the next transition or activation")]
    private static partial void LogPumpFailed(ILogger logger, string receiver, Exception exception);
}
