namespace Cluster.Alerts;

/// <summary>One delivery's body and secret, and the attempts made for it so far (counted by <see cref="WebhookSigningHandler"/>).</summary>
internal sealed class WebhookAttempts(byte[] body, string? secret)
{
    private int _count;

    /// <summary>The payload bytes, signed as sent.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The receiver's secret; null sends no signature.</summary>
    public string? Secret { get; } = secret;

    /// <summary>Requests made.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Status of the last answer; null while none came.</summary>
    public int? LastStatus { get; set; }

    /// <summary>Counts an attempt; answers its number, from 1.</summary>
    public int Next() => Interlocked.Increment(ref _count);
}
