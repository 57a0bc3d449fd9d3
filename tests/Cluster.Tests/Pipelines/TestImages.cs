using StbImageWriteSharp;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// Images made from known pixels and encoded by stb_image_write (a C# port), an encoder independent
/// of the decoder under test (ONNX Runtime Extensions' libjpeg and libpng).
/// </summary>
public static class TestImages
{
    /// <summary>
    /// RGB pixels, row-major [height, width, 3]: smooth gradients (which JPEG keeps closely) with a
    /// different slope per channel, so swapped channels or a flipped axis show.
    /// </summary>
    public static byte[] Pixels(int height, int width)
    {
        var rgb = new byte[height * width * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = (y * width + x) * 3;
                rgb[at] = (byte)(40 + 170 * x / Math.Max(1, width - 1));
                rgb[at + 1] = (byte)(30 + 190 * y / Math.Max(1, height - 1));
                rgb[at + 2] = (byte)(200 - 120 * (x + y) / Math.Max(1, width + height - 2));
            }
        }
        return rgb;
    }

    public static byte[] Png(byte[] rgb, int height, int width)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(rgb, width, height, ColorComponents.RedGreenBlue, stream);
        return stream.ToArray();
    }

    public static byte[] Jpeg(byte[] rgb, int height, int width, int quality = 95)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WriteJpg(rgb, width, height, ColorComponents.RedGreenBlue, stream, quality);
        return stream.ToArray();
    }

    /// <summary>RGB [height, width, 3] → BGR in the same layout (OpenCV's order, DecodeImage's default).</summary>
    public static byte[] ToBgr(byte[] rgb)
    {
        var bgr = new byte[rgb.Length];
        for (var i = 0; i < rgb.Length; i += 3) (bgr[i], bgr[i + 1], bgr[i + 2]) = (rgb[i + 2], rgb[i + 1], rgb[i]);
        return bgr;
    }
}
