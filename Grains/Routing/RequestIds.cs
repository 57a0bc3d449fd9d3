using System.Security.Cryptography;

namespace Cluster.Routing;

/// <summary>
/// Ids the router gives requests that came without one (a captured request, a bandit's assignment, a prediction waiting for its
/// label): random version-4 GUIDs as <c>Guid.ToString("N")</c> prints them, from the cryptographic generator as
/// <see cref="Guid.NewGuid"/> draws them, so that nobody can guess another caller's id and label its prediction. On Linux
/// <see cref="Guid.NewGuid"/> asks the kernel for every id, a system call that took 0.45 % of the silo's core at full capture;
/// here each thread draws random bytes for 256 ids at a time.
/// </summary>
internal static class RequestIds
{
    private const int IdBytes = 16;
    private const int IdsPerDraw = 256;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    public static string New()
    {
        var random = t_random ??= new byte[IdBytes * IdsPerDraw];
        if (t_next == 0) RandomNumberGenerator.Fill(random);
        var id = random.AsSpan(t_next, IdBytes);
        t_next = (t_next + IdBytes) % random.Length;
        // The version (4: random) and variant (RFC 9562) bits, as Guid.NewGuid sets them; byte 7 is the high byte of the third field.
        id[7] = (byte)((id[7] & 0x0F) | 0x40);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return new Guid(id).ToString("N");
    }
}
