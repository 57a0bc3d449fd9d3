using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Security;

namespace Cluster.Silo.Security;

/// <summary>The registered models a request may see: all of them, or only those its API key is limited to.</summary>
internal static class VisibleModels
{
    public static async Task<ImmutableArray<string>> List(HttpContext http, IGrainFactory grains)
    {
        var names = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List();
        return http.Items[typeof(ApiKeyInfo)] is ApiKeyInfo key ? [.. names.Where(key.Covers)] : names;
    }

    /// <summary>Whether the request's key (if any) may see <paramref name="model"/>.</summary>
    public static bool Allows(HttpContext http, string model) => http.Items[typeof(ApiKeyInfo)] is not ApiKeyInfo key || key.Covers(model);
}
