using Cluster.Grains;
using Cluster.Security;

namespace Cluster.Silo.Security;

/// <summary>
/// The gateway's copy of the key table, refreshed in the background every two seconds, so checking
/// a request costs a dictionary lookup and a hash, never a grain call; a revoked key stops working
/// within that time.
/// </summary>
internal sealed partial class ApiKeyCache(IGrainFactory grains, TimeProvider time, ILogger<ApiKeyCache> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    private volatile Dictionary<string, ApiKeyInfo> _byId = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the table was read the first time.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>The active key that <paramref name="presented"/> is; null for an unknown, wrong or revoked key.</summary>
    public ApiKeyInfo? Find(string presented)
    {
        var hash = ApiKeys.Hash(presented);
        var id = ApiKeys.IdOf(presented) ?? ApiKeyStoreGrain.BootstrapId;
        return _byId.TryGetValue(id, out var info) && info.IsActive && ApiKeys.SameHash(info.Sha256, hash) ? info : null;
    }

    /// <summary>Reads the table now (after a change made through this gateway, so it applies at once here).</summary>
    public async Task Refresh()
    {
        var table = await grains.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry).GetTable();
        _byId = table.Keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        _loaded.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Refresh();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex.Message);
            }
            await Task.Delay(RefreshEvery, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API keys could not be refreshed (the last copy stays in force): {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
