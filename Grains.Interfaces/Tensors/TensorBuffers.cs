using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Cluster.Inference;

namespace Cluster.Tensors;

/// <summary>
/// Reusable arrays for tensor bytes large enough to land on the large object heap (an image tensor
/// of 110 KB, a batch of them). A fresh one per request brings gen-2 collections and page faults on
/// new pages; a served model sees the same sizes again and again, so arrays are kept by exact length
/// (a tensor's array is its data, so it cannot be longer).
/// <para>
/// Ownership: whoever rents an array lends it out with the call that carries it (the gateway with
/// its request, the batch worker with a joined batch) and returns it once that call has answered.
/// Anything that keeps a tensor after the call that lent it answers takes it through
/// <see cref="Keep(TensorData)"/>, which copies lent bytes (a shadow copy, a cached response), or,
/// when it returns what it keeps once done, through <see cref="Share(InferenceRequest)"/>, which
/// makes it one more holder of the same array (a capture record: no copy of a 110 KB image per
/// captured request). An array goes back to the pool when its last holder returns it. An array is
/// returned only when its call succeeded: after a failure or a cancellation a queued request may
/// still hold it, so it is left to the GC instead.
/// </para>
/// <para>
/// Tensors that arrive over Orleans' wire (a .NET client's call, a batch for a replica on another silo) are read into
/// lent arrays too (<see cref="TensorDataCodec"/>, once a silo sets <see cref="LendReceived"/>). No caller rented
/// those, so the grain whose call they arrived with claims them (<see cref="Claim"/>) and returns them once that call
/// answers. A claim is taken once: a grain the claimant calls in-process with the same tensors finds nothing to claim.
/// Tensors that arrive in a response (a replica's outputs, a pipeline's on another silo) are read the same way, so the grain
/// that awaited them disowns them (<see cref="Disown"/>): passed on as the next call's inputs, they must not be claimed there.
/// </para>
/// </summary>
public static class TensorBuffers
{
    /// <summary>Arrays smaller than this come and go in gen 0 more cheaply than any pool (the runtime's large-object threshold).</summary>
    public const int MinPooledBytes = 85_000;

    private const int MaxPerLength = 64;
    private const long MaxPooledBytes = 256L * 1024 * 1024;

    // Arrays lent out and not yet returned by every holder; weak, so one a failure left behind is collected as usual.
    private static readonly ConditionalWeakTable<byte[], Holders> Lent = new();
    private static readonly Dictionary<int, Stack<byte[]>> Free = [];
    private static readonly Lock Gate = new();
    private static long _pooledBytes;
    private static long _rented;
    private static long _reused;

    /// <summary>
    /// Whether tensors read off Orleans' wire go into lent arrays. A silo turns it on, as its grains claim what arrives;
    /// a client leaves it off: nothing there would return them.
    /// </summary>
    public static bool LendReceived { get; set; }

    /// <summary>Arrays handed out by <see cref="Rent"/> so far, and how many of them were reused.</summary>
    public static (long Rented, long Reused) Counts => (Interlocked.Read(ref _rented), Interlocked.Read(ref _reused));

    /// <summary>An array of exactly <paramref name="length"/> bytes, not zeroed: the caller writes every byte before anyone reads one.</summary>
    public static byte[] Rent(int length) => length < MinPooledBytes ? GC.AllocateUninitializedArray<byte>(length) : Lend(length, new Holders());

    // A pooled array, or a fresh one when none of this length is free, lent to its first holder.
    private static byte[] Lend(int length, Holders holders)
    {
        byte[]? array = null;
        lock (Gate)
        {
            if (Free.TryGetValue(length, out var stack) && stack.TryPop(out array)) _pooledBytes -= length;
        }
        Interlocked.Increment(ref _rented);
        if (array is null) array = GC.AllocateUninitializedArray<byte>(length);
        else Interlocked.Increment(ref _reused);
        Lent.AddOrUpdate(array, holders);
        return array;
    }

    /// <summary>
    /// An array of <paramref name="length"/> bytes for a tensor being read off the wire: lent (when <see cref="LendReceived"/>)
    /// and waiting for the grain its call reaches to <see cref="Claim"/> it; a fresh one otherwise.
    /// </summary>
    public static byte[] RentReceived(int length)
    {
        if (!LendReceived || length < MinPooledBytes) return GC.AllocateUninitializedArray<byte>(length);
        return Lend(length, new Holders { Unclaimed = 1 });
    }

    /// <summary>
    /// The arrays of <paramref name="tensors"/> that arrived over the wire and nobody has claimed yet, now the caller's to
    /// return (<see cref="ReturnClaimed"/>) once its call answers; null when there are none (no allocation then).
    /// </summary>
    public static byte[][]? Claim(ImmutableArray<TensorData> tensors)
    {
        if (tensors.IsDefault) return null;
        byte[][]? claimed = null;
        var count = 0;
        foreach (var tensor in tensors)
        {
            if (tensor.Data.Length < MinPooledBytes || !Lent.TryGetValue(tensor.Data, out var holders) || Interlocked.Exchange(ref holders.Unclaimed, 0) == 0) continue;
            claimed ??= new byte[tensors.Length][];
            claimed[count++] = tensor.Data;
        }
        return claimed is null || count == claimed.Length ? claimed : claimed[..count];
    }

    /// <summary>
    /// Makes the arrays of <paramref name="tensors"/>, read off the wire in a response, nobody's to claim: they stay with
    /// whoever holds them and go to the GC like any array.
    /// </summary>
    public static void Disown(ImmutableArray<TensorData> tensors)
    {
        if (tensors.IsDefault) return;
        foreach (var tensor in tensors)
        {
            if (tensor.Data.Length >= MinPooledBytes && Lent.TryGetValue(tensor.Data, out var holders)) Volatile.Write(ref holders.Unclaimed, 0);
        }
    }

    /// <summary><paramref name="tensors"/>, disowned (see <see cref="Disown"/>).</summary>
    public static ImmutableArray<TensorData> Disowned(ImmutableArray<TensorData> tensors)
    {
        Disown(tensors);
        return tensors;
    }

    /// <summary>Returns what <see cref="Claim"/> gave, except an array one of <paramref name="outputs"/> is (see <see cref="ReturnUnlessOutput"/>).</summary>
    public static void ReturnClaimed(byte[][]? claimed, ImmutableArray<TensorData> outputs)
    {
        if (claimed is null) return;
        foreach (var array in claimed) ReturnUnlessOutput(array, outputs);
    }

    /// <summary>Returns the arrays of <paramref name="inputs"/>, except an array one of <paramref name="outputs"/> is (see <see cref="ReturnUnlessOutput"/>).</summary>
    public static void ReturnInputs(ImmutableArray<TensorData> inputs, ImmutableArray<TensorData> outputs)
    {
        foreach (var input in inputs) ReturnUnlessOutput(input.Data, outputs);
    }

    // A pipeline may answer with its input, and the response is written from it after the call that lent it has answered.
    private static void ReturnUnlessOutput(byte[] array, ImmutableArray<TensorData> outputs)
    {
        if (outputs.IsDefault || !outputs.Any(o => ReferenceEquals(o.Data, array))) Return(array);
    }

    /// <summary>
    /// Takes back an array <see cref="Rent"/> lent once its last holder (see <see cref="Share(TensorData)"/>) returns it;
    /// anything else (a small array, one returned already) is ignored.
    /// </summary>
    public static void Return(byte[] array)
    {
        if (!Lent.TryGetValue(array, out var holders) || Interlocked.Decrement(ref holders.Count) > 0 || !Lent.Remove(array)) return;
        lock (Gate)
        {
            if (_pooledBytes + array.Length > MaxPooledBytes) return;
            if (!Free.TryGetValue(array.Length, out var stack)) Free[array.Length] = stack = new Stack<byte[]>();
            if (stack.Count >= MaxPerLength) return;
            stack.Push(array);
            _pooledBytes += array.Length;
        }
    }

    /// <summary>Returns the arrays of <paramref name="tensors"/> (see <see cref="Return(byte[])"/>).</summary>
    public static void Return(ImmutableArray<TensorData> tensors)
    {
        if (tensors.IsDefault) return;
        foreach (var tensor in tensors) Return(tensor.Data);
    }

    /// <summary>Whether <paramref name="array"/> is lent out and will be reused once its call answers.</summary>
    public static bool IsLent(byte[] array) => array.Length >= MinPooledBytes && Lent.TryGetValue(array, out _);

    /// <summary>
    /// <paramref name="tensor"/> safe to keep after the call that lent it answers: when its bytes are lent, a copy in an array
    /// rented for the keeper, who may return it once done (the capture writer does, after formatting) or leave it to the GC.
    /// </summary>
    public static TensorData Keep(TensorData tensor)
    {
        if (!IsLent(tensor.Data)) return tensor;
        var copy = Rent(tensor.Data.Length);
        tensor.Data.CopyTo(copy, 0);
        return tensor with { Data = copy };
    }

    /// <summary><paramref name="tensors"/> safe to keep (see <see cref="Keep(TensorData)"/>); the same array when none is lent.</summary>
    public static ImmutableArray<TensorData> Keep(ImmutableArray<TensorData> tensors)
    {
        if (tensors.IsDefault) return tensors;
        foreach (var tensor in tensors)
        {
            if (IsLent(tensor.Data)) return [.. tensors.Select(Keep)];
        }
        return tensors;
    }

    /// <summary>
    /// <paramref name="tensor"/> itself, its array held once more when lent: safe to keep after the call that lent it answers,
    /// for a keeper that returns it (<see cref="Return(byte[])"/>) once done. Call it while that call has not answered yet.
    /// </summary>
    public static TensorData Share(TensorData tensor)
    {
        if (tensor.Data.Length >= MinPooledBytes && Lent.TryGetValue(tensor.Data, out var holders)) Interlocked.Increment(ref holders.Count);
        return tensor;
    }

    /// <summary><paramref name="tensors"/> shared with a keeper (see <see cref="Share(TensorData)"/>).</summary>
    public static ImmutableArray<TensorData> Share(ImmutableArray<TensorData> tensors)
    {
        if (!tensors.IsDefault) foreach (var tensor in tensors) Share(tensor);
        return tensors;
    }

    /// <summary><paramref name="request"/> shared with a keeper (see <see cref="Share(TensorData)"/>).</summary>
    public static InferenceRequest Share(InferenceRequest request)
    {
        Share(request.Inputs);
        return request;
    }

    /// <summary><paramref name="request"/> safe to keep (see <see cref="Keep(TensorData)"/>).</summary>
    public static InferenceRequest Keep(InferenceRequest request)
    {
        var inputs = Keep(request.Inputs);
        return inputs == request.Inputs ? request : request with { Inputs = inputs };
    }

    // How many holders a lent array has: its renter, and each keeper it was shared with.
    private sealed class Holders
    {
        public int Count = 1;
        // 1 while an array read off the wire waits for the grain its call reached to claim it.
        public int Unclaimed;
    }
}
