using System.Collections.Immutable;
using Cluster.Alerts;

namespace Cluster.Grains;

/// <summary>
/// The cluster's alert webhooks (receivers, secrets included) in grain state, and the one door every
/// alert transition goes through on its way to them; key: <see cref="GrainKeys.Registry"/>.
/// </summary>
[Alias("Cluster.IAlertWebhooksGrain")]
public interface IAlertWebhooksGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces the receivers (audited, secrets never written to the audit log).</summary>
    [Alias("SetReceivers")] Task SetReceivers(ImmutableArray<AlertReceiver> receivers);

    /// <summary>The receivers, secrets included: callers that show them mask the secrets.</summary>
    [Alias("GetReceivers"), ReadOnly] Task<ImmutableArray<AlertReceiver>> GetReceivers();

    /// <summary>Queues a transition for every receiver; each receiver's delivery grain drops one it already has.</summary>
    [Alias("Notify"), ReadOnly] Task Notify(AlertTransition transition);
}
