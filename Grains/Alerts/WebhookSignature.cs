using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cluster.Alerts;

/// <summary>
/// Signs webhook payloads as <c>sha256=&lt;hex HMAC-SHA256(secret, "&lt;timestamp&gt;." + body)&gt;</c>: the timestamp
/// (Unix seconds, also sent as a header) is inside the signed bytes, so a receiver that refuses old
/// timestamps refuses replays, and a replayed body cannot be given a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Header with the signature.</summary>
    public const string SignatureHeader = "X-Cluster-Signature";

    /// <summary>Header with the Unix time, in seconds, the attempt was signed at.</summary>
    public const string TimestampHeader = "X-Cluster-Timestamp";

    private const string Prefix = "sha256=";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(Mac(secret, timestamp, body));

    /// <summary>
    /// What a receiver checks: the signature matches (compared in constant time) and the timestamp is
    /// within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || signature is null || !signature.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, seconds, body));
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
