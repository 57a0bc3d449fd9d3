using System.Collections.Concurrent;

namespace Cluster.Grains;

/// <summary>
/// Router references by model name, made once: <c>GetGrain</c> reflects over the interface on
/// every call in Orleans 10.4.2, which showed up as several percent of CPU on the request path.
/// Bounded, since model names come from callers.
/// </summary>
public sealed class RouterGrains(IGrainFactory grains)
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<string, IRouterGrain> _routers = new(StringComparer.Ordinal);

    /// <summary>The router of <paramref name="model"/>.</summary>
    public IRouterGrain For(string model)
    {
        if (_routers.TryGetValue(model, out var router)) return router;
        if (_routers.Count >= MaxEntries) _routers.Clear();
        return _routers.GetOrAdd(model, name => grains.GetGrain<IRouterGrain>(name));
    }
}
