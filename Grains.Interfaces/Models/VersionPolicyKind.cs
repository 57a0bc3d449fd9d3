namespace Cluster.Models;

/// <summary>Which of a repository model's versions load, as Triton's <c>version_policy</c> names the choices.</summary>
[GenerateSerializer, Alias("Cluster.VersionPolicyKind")]
public enum VersionPolicyKind
{
    /// <summary>Every version in the folder (<c>{"all": {}}</c>).</summary>
    All,

    /// <summary>The highest N versions (<c>{"latest": {"num_versions": N}}</c>).</summary>
    Latest,

    /// <summary>The versions listed (<c>{"specific": {"versions": [..]}}</c>).</summary>
    Specific,
}
