namespace Cluster.Tensors;

/// <summary>Arithmetic on tensor shapes.</summary>
public static class ShapeMath
{
    /// <summary>Product of the dimensions (1 for a scalar); throws on a negative dimension or overflow.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0) throw new ArgumentException("A concrete shape has no negative dimension.", nameof(shape));
            count = checked(count * dim);
        }
        return count;
    }

    /// <summary>Product of the dimensions; false (instead of throwing) on a negative dimension or overflow.</summary>
    public static bool TryElementCount(ReadOnlySpan<long> shape, out long count)
    {
        count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0 || (dim > 0 && count > long.MaxValue / dim)) return false;
            count *= dim;
        }
        return true;
    }

    /// <summary>Formats a shape the way error messages and logs show it, e.g. <c>[-1,3,48,192]</c>.</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(",", parts) + "]";
    }
}
