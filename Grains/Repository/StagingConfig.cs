using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Repository;

/// <summary>
/// config.json's staging keys: <c>default_version</c> (what unversioned requests get) and
/// <c>version_policy</c> (which repository versions load), read and checked so a wrong value is
/// refused with the key it is under.
/// </summary>
internal static class StagingConfig
{
    /// <summary>The label unversioned requests follow, or null for the highest ready version.</summary>
    public static string? DefaultVersion(string? value)
    {
        if (value is null || value == ModelConfig.HighestVersion) return null;
        if (ModelVersions.TryParse(value, out _))
        {
            throw new InvalidDataException($"default_version '{value}' is a version number; name a label (e.g. \"stable\") and point it at the version, or \"highest\".");
        }
        if (!ModelNames.IsValid(value))
        {
            throw new InvalidDataException($"default_version '{value}' is neither \"highest\" nor a label name (letters, digits, '.', '_', '-').");
        }
        return value;
    }

    /// <summary>The policy in the document, or null (every version loads) without one.</summary>
    public static VersionPolicy? Policy(VersionPolicyDocument? document)
    {
        if (document is null) return null;
        var given = (document.All is null ? 0 : 1) + (document.Latest is null ? 0 : 1) + (document.Specific is null ? 0 : 1);
        if (given != 1) throw new InvalidDataException("version_policy must hold exactly one of \"all\", \"latest\" or \"specific\".");
        if (document.Latest is { } latest)
        {
            if (latest.NumVersions is not { } count || count < 1) throw new InvalidDataException("version_policy.latest.num_versions must be 1 or more.");
            return new VersionPolicy(VersionPolicyKind.Latest, count);
        }
        if (document.Specific is { } specific)
        {
            if (specific.Versions is not { Length: > 0 } versions) throw new InvalidDataException("version_policy.specific.versions must list at least one version.");
            if (versions.Any(v => v < 1)) throw new InvalidDataException("version_policy.specific.versions must be positive integers.");
            return new VersionPolicy(VersionPolicyKind.Specific, Versions: [.. versions.Distinct().Order().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
        return new VersionPolicy(VersionPolicyKind.All);
    }
}

/// <summary>config.json's <c>version_policy</c>: one of its three members, as Triton's model config spells them.</summary>
internal sealed record VersionPolicyDocument(AllVersionsDocument? All, LatestVersionsDocument? Latest, SpecificVersionsDocument? Specific);

/// <summary><c>{"all": {}}</c>.</summary>
internal sealed record AllVersionsDocument;

/// <summary><c>{"latest": {"num_versions": N}}</c>.</summary>
internal sealed record LatestVersionsDocument(int? NumVersions);

/// <summary><c>{"specific": {"versions": [..]}}</c>.</summary>
internal sealed record SpecificVersionsDocument(long[]? Versions);
