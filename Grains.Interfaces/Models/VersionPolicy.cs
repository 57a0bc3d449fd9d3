using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>
/// Triton's <c>version_policy</c> (config.json): which versions of a repository model are registered
/// and loaded at all. Without one every version loads, as before the setting existed.
/// </summary>
/// <param name="Kind">All, the latest N, or the versions listed.</param>
/// <param name="NumVersions">For <see cref="VersionPolicyKind.Latest"/>: how many of the highest versions load.</param>
/// <param name="Versions">For <see cref="VersionPolicyKind.Specific"/>: the version numbers that load.</param>
[GenerateSerializer, Immutable, Alias("Cluster.VersionPolicy")]
public sealed record VersionPolicy(VersionPolicyKind Kind, int NumVersions = 0, ImmutableArray<string> Versions = default)
{
    /// <summary>The versions of <paramref name="versionsLowestFirst"/> this policy loads, in the same order.</summary>
    public IReadOnlyList<string> Admit(IReadOnlyList<string> versionsLowestFirst) => Kind switch
    {
        VersionPolicyKind.Latest => [.. versionsLowestFirst.Skip(Math.Max(0, versionsLowestFirst.Count - NumVersions))],
        VersionPolicyKind.Specific => [.. versionsLowestFirst.Where(v => !Versions.IsDefault && Versions.Contains(v, StringComparer.Ordinal))],
        _ => versionsLowestFirst,
    };
}
