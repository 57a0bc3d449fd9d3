using System.Collections.Immutable;
using Cluster.Alerts;
using Cluster.Grains;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;

namespace Cluster.Silo.Alerts;

/// <summary>
/// Alert webhooks (admin scope): <c>PUT</c>/<c>GET /api/alerts/webhooks</c> set and show the receivers
/// (secrets masked), <c>GET /api/alerts/deliveries</c> lists recent delivery outcomes.
/// </summary>
internal static class AlertWebhookEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPut("/api/alerts/webhooks", SetReceivers);
        admin.MapGet("/api/alerts/webhooks", async (HttpContext http, IGrainFactory grains) => await WriteReceivers(http, await Webhooks(grains).GetReceivers()));
        admin.MapGet("/api/alerts/deliveries", Deliveries);
    }

    private static IAlertWebhooksGrain Webhooks(IGrainFactory grains) => grains.GetGrain<IAlertWebhooksGrain>(GrainKeys.Registry);

    private static async Task SetReceivers(HttpContext http, IGrainFactory grains)
    {
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        var webhooks = Webhooks(grains);
        var current = await webhooks.GetReceivers();
        var receivers = AlertWebhookJson.ReadReceivers(body, current);
        await webhooks.SetReceivers(receivers);
        await WriteReceivers(http, receivers);
    }

    private static Task WriteReceivers(HttpContext http, ImmutableArray<AlertReceiver> receivers) =>
        JsonResults.Write(http.Response, StatusCodes.Status200OK, AlertWebhookJson.Receivers(receivers), AlertsJsonContext.Default.ReceiversBody);

    private static async Task Deliveries(HttpContext http, IGrainFactory grains, int? limit)
    {
        if (limit is < 1 or > MaxLimit) throw new Errors.InvalidInferenceRequestException($"limit must be 1 to {MaxLimit}.");
        var receivers = await Webhooks(grains).GetReceivers();
        var logs = await Task.WhenAll(receivers.Select(r => grains.GetGrain<IAlertDeliveryGrain>(r.Id).GetLog()));
        var deliveries = logs.SelectMany(l => l.Recent)
            .Where(d => VisibleModels.Allows(http, d.Transition.Model))
            .OrderByDescending(d => d.At)
            .Take(limit ?? DefaultLimit);
        var body = new AlertWebhookJson.DeliveriesBody(
            [.. receivers.Select((r, i) => new AlertWebhookJson.QueueBody(r.Id, r.Url, logs[i].Pending))],
            [.. deliveries.Select(AlertWebhookJson.Delivery)]);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, AlertsJsonContext.Default.DeliveriesBody);
    }
}
