using Cluster.Grains;
using Cluster.Security;

namespace Cluster.Silo.Security;

/// <summary>
/// At start-up: registers <c>Security:BootstrapAdminKey</c> (by its hash) or, on a cluster that
/// requires keys and has none, creates a first admin key and prints it once to standard output
/// (never to the log); on an open gateway, says so in the log.
/// </summary>
internal sealed partial class ApiKeyBootstrap(IGrainFactory grains, ApiKeyCache cache, SecuritySettings settings, bool required, ILogger<ApiKeyBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!required)
        {
            LogOpen(logger);
            return;
        }
        var store = grains.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry);
        if (!string.IsNullOrEmpty(settings.BootstrapAdminKey))
        {
            await store.EnsureBootstrap(ApiKeys.Hash(settings.BootstrapAdminKey));
        }
        else if (await store.CreateFirstAdmin() is { } first)
        {
            // Shown once, on the console of the silo that created it; the log never carries a key.
            Console.WriteLine($"First admin API key of this cluster (shown once; keep it): {first.Key}");
            LogFirstKey(logger, first.Info.Id);
        }
        await cache.Refresh();
        LogRequired(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway is open: no API key is required (Security:RequireKeys is off; the embedded default listens on loopback only)")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys are required on every request but health probes")]
    private static partial void LogRequired(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the cluster's first admin API key {KeyId}; it was printed once to standard output")]
    private static partial void LogFirstKey(ILogger logger, string keyId);
}
