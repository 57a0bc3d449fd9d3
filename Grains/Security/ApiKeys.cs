using System.Security.Cryptography;
using System.Text;

namespace Cluster.Security;

/// <summary>
/// Key format and hashing: <c>ck_&lt;8 hex id&gt;_&lt;43 base64url chars of 32 random bytes&gt;</c>;
/// stored as the hex SHA-256 of the whole key (256 random bits need no salt or slow hash).
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "ck_";

    /// <summary>A fresh key with a new id.</summary>
    public static (string Id, string Key) New() => WithId(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    /// <summary>A fresh key for an existing id.</summary>
    public static (string Id, string Key) WithId(string id) =>
        (id, $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}");

    /// <summary>Hex SHA-256 of a key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The id inside a key of our format; null for anything else (a bootstrap key from configuration may be any string).</summary>
    public static string? IdOf(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < Prefix.Length + 10) return null;
        var end = key.IndexOf('_', Prefix.Length);
        return end > Prefix.Length ? key[Prefix.Length..end] : null;
    }

    /// <summary>Compares two hex hashes in constant time.</summary>
    public static bool SameHash(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(left), Encoding.ASCII.GetBytes(right));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
