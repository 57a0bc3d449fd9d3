using System.Runtime.CompilerServices;

namespace Cluster.Silo.Inference.Json;

/// <summary>
/// Reads runs of ASCII digits several at a time from one machine word (SIMD within a register), first
/// character in the lowest byte as a little-endian load puts it: a check that every byte is a digit, and
/// the run's value in three multiplications instead of a multiply-add per digit.
/// </summary>
internal static class SwarDigits
{
    // A byte is a digit when its high nibble is 3 and adding 6 keeps it 3 ('9' + 6 is '?', ':' + 6 is '@').
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AreEight(ulong word) =>
        ((word & 0xF0F0F0F0F0F0F0F0) | (((word + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) == 0x3333333333333333;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AreFour(uint word) =>
        ((word & 0xF0F0F0F0) | (((word + 0x06060606) & 0xF0F0F0F0) >> 4)) == 0x33333333;

    /// <summary>The value of eight digits (<see cref="AreEight"/> holds): pairs, then pairs of pairs, then the two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Eight(ulong word)
    {
        word -= 0x3030303030303030;
        // Each even byte becomes ten times itself plus the next: the four two-digit pairs.
        word = word * 10 + (word >> 8);
        // Pairs 0 and 2 times 10^6 and 10^2, pairs 1 and 3 times 10^4 and 1, summed in the upper half.
        return (uint)((((word & 0x000000FF000000FF) * (100 + (1_000_000UL << 32))) + (((word >> 16) & 0x000000FF000000FF) * (1 + (10_000UL << 32)))) >> 32);
    }

    /// <summary>The value of four digits (<see cref="AreFour"/> holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Four(uint word)
    {
        word -= 0x30303030;
        word = word * 10 + (word >> 8);
        return (word & 0xFF) * 100 + ((word >> 16) & 0xFF);
    }
}
