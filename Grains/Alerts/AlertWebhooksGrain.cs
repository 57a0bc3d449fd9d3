using System.Collections.Immutable;
using Cluster.Audit;
using Cluster.Grains;
using Cluster.Models;
using Microsoft.Extensions.Logging;

namespace Cluster.Alerts;

/// <summary>
/// Holds the receiver list (in the catalog's storage, so it is durable in cluster mode) and hands each
/// transition to every receiver's delivery grain. A single activation in the cluster, so a transition
/// reported by several silos still reaches each receiver's grain, which keeps only the first.
/// </summary>
public sealed partial class AlertWebhooksGrain(
    [PersistentState("alert-webhooks", ModelStorage.Name)] IPersistentState<AlertWebhooksState> state,
    IAuditLog audit,
    ILogger<AlertWebhooksGrain> logger) : Grain, IAlertWebhooksGrain
{
    public async Task SetReceivers(ImmutableArray<AlertReceiver> receivers)
    {
        AlertReceiverRules.Check(receivers);
        var before = Describe(state.State.Receivers);
        state.State.Receivers = [.. receivers];
        await state.WriteStateAsync();
        await audit.Append("alerts.webhooks", null, before, Describe(receivers));
        LogReceivers(logger, receivers.Length);
    }

    public Task<ImmutableArray<AlertReceiver>> GetReceivers() => Task.FromResult(state.State.Receivers.ToImmutableArray());

    public Task Notify(AlertTransition transition) =>
        Task.WhenAll(state.State.Receivers.Select(r => GrainFactory.GetGrain<IAlertDeliveryGrain>(r.Id).Enqueue(r, transition)));

    // Secrets stay out of the audit log: it is readable by every admin key and kept forever.
    private static string Describe(IEnumerable<AlertReceiver> receivers) =>
        string.Join(", ", receivers.Select(r => r.Secret is null ? r.Url : $"{r.Url} (signed)")) is { Length: > 0 } text ? text : "none";

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert webhooks set: {Count} receivers")]
    private static partial void LogReceivers(ILogger logger, int count);
}
