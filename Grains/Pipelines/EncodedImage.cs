namespace Cluster.Pipelines;

/// <summary>
/// Checks an encoded image before ONNX Runtime Extensions' DecodeImage sees it. Its JPEG decoder
/// (libjpeg) ends the whole process on a fatal error — bytes that are not a JPEG, a truncated file,
/// a bad Huffman table — where its PNG decoder returns an error. A client's bad upload must not take
/// a silo down, so a JPEG is only passed on when its structure is one libjpeg decodes without a fatal
/// error: sequential Huffman coding (SOF0, SOF1; progressive, arithmetic and lossless JPEGs are
/// refused), 8-bit samples, 1 or 3 components, every table it uses defined and well formed, and
/// entropy-coded data that runs to the end-of-image marker.
/// </summary>
public static class EncodedImage
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Null when <paramref name="image"/> may be decoded; otherwise why not.</summary>
    public static string? Problem(ReadOnlySpan<byte> image)
    {
        if (image.StartsWith(PngSignature)) return null;
        if (image.Length < 4 || image[0] != 0xFF || image[1] != 0xD8) return "it is neither a PNG nor a JPEG (no signature)";
        return new JpegWalk(image).Check();
    }

    private ref struct JpegWalk(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly bool[] _quant = new bool[4];
        private readonly bool[] _dc = new bool[4];
        private readonly bool[] _ac = new bool[4];
        private byte[] _components = [];
        private int _at = 2;

        public string? Check()
        {
            while (true)
            {
                if (_at + 4 > _data.Length || _data[_at] != 0xFF) return "the JPEG's markers are broken or it ends before its image data";
                var marker = _data[_at + 1];
                var length = (_data[_at + 2] << 8) | _data[_at + 3];
                if (marker is 0xD8 or 0xD9 or (>= 0xD0 and <= 0xD7) or 0x01 or 0xFF) return $"unexpected JPEG marker 0x{marker:X2} before the image data";
                if (length < 2 || _at + 2 + length > _data.Length) return "a JPEG segment runs past the end of the file";
                var segment = _data.Slice(_at + 4, length - 2);
                _at += 2 + length;
                var problem = marker switch
                {
                    0xC0 or 0xC1 => Frame(segment),
                    0xC4 => HuffmanTables(segment),
                    0xDB => QuantizationTables(segment),
                    0xDA => Scan(segment),
                    0xDD => segment.Length == 2 ? null : "a bad restart interval",
                    >= 0xC2 and <= 0xCF and not 0xC8 and not 0xCC => "only baseline and extended sequential (Huffman) JPEGs are decoded, not progressive, lossless or arithmetic-coded ones",
                    >= 0xE0 and <= 0xEF or 0xFE or 0xCC => null,
                    _ => $"unsupported JPEG marker 0x{marker:X2}",
                };
                if (problem is not null) return problem;
                if (marker == 0xDA) return EntropyData();
            }
        }

        private string? Frame(ReadOnlySpan<byte> s)
        {
            if (_components.Length > 0) return "the JPEG has two frames";
            if (s.Length < 6 || s[0] != 8) return "only 8-bit JPEGs are decoded";
            var (height, width, count) = ((s[1] << 8) | s[2], (s[3] << 8) | s[4], s[5]);
            // libjpeg's limit is 65500 pixels a side.
            if (height is 0 or > 65500 || width is 0 or > 65500) return "the JPEG is empty (or sets its height later, which is not decoded) or over 65500 pixels a side";
            if (count is not (1 or 3) || s.Length != 6 + 3 * count) return "only greyscale and three-component JPEGs are decoded";
            _components = new byte[count];
            var blocks = 0;
            for (var c = 0; c < count; c++)
            {
                var (h, v, table) = (s[7 + 3 * c] >> 4, s[7 + 3 * c] & 15, s[8 + 3 * c]);
                if (h is < 1 or > 4 || v is < 1 or > 4 || table > 3 || !_quant[table]) return "a JPEG component has bad sampling factors or an undefined quantization table";
                _components[c] = s[6 + 3 * c];
                blocks += h * v;
            }
            return blocks <= 10 ? null : "the JPEG's minimum coded unit has more than 10 blocks";
        }

        private readonly string? QuantizationTables(ReadOnlySpan<byte> s)
        {
            while (!s.IsEmpty)
            {
                var (precision, id) = (s[0] >> 4, s[0] & 15);
                var size = 1 + 64 * (precision + 1);
                if (precision > 1 || id > 3 || s.Length < size) return "a bad JPEG quantization table";
                _quant[id] = true;
                s = s[size..];
            }
            return null;
        }

        private readonly string? HuffmanTables(ReadOnlySpan<byte> s)
        {
            while (!s.IsEmpty)
            {
                var (kind, id) = (s[0] >> 4, s[0] & 15);
                if (kind > 1 || id > 3 || s.Length < 17) return "a bad JPEG Huffman table";
                var counts = s.Slice(1, 16);
                var total = 0;
                var code = 0L;
                for (var bits = 0; bits < 16; bits++)
                {
                    // As libjpeg builds the canonical codes: all codes of a length must fit in that many bits.
                    total += counts[bits];
                    code += counts[bits];
                    if (code >= 1L << (bits + 1)) return "a bad JPEG Huffman table (its codes overflow)";
                    code <<= 1;
                }
                if (total > 256 || s.Length < 17 + total) return "a bad JPEG Huffman table";
                foreach (var symbol in s.Slice(17, total))
                {
                    if (kind == 0 && symbol > 15) return "a bad JPEG Huffman table (a DC symbol over 15)";
                }
                (kind == 0 ? _dc : _ac)[id] = true;
                s = s[(17 + total)..];
            }
            return null;
        }

        private readonly string? Scan(ReadOnlySpan<byte> s)
        {
            if (_components.Length == 0) return "the JPEG's image data comes before its frame header";
            if (s.Length < 1 || s[0] is < 1 or > 4 || s.Length != 4 + 2 * s[0]) return "a bad JPEG scan header";
            for (var c = 0; c < s[0]; c++)
            {
                var (id, dc, ac) = (s[1 + 2 * c], s[2 + 2 * c] >> 4, s[2 + 2 * c] & 15);
                if (!_components.Contains(id) || dc > 3 || ac > 3 || !_dc[dc] || !_ac[ac]) return "a JPEG scan uses an unknown component or an undefined Huffman table";
            }
            var tail = s[^3..];
            return tail[0] == 0 && tail[1] == 63 && tail[2] == 0 ? null : "a bad JPEG scan header (not a sequential scan)";
        }

        // Entropy-coded bytes may hold 0xFF only as stuffed 0xFF00, restart markers and fill bytes;
        // one sequential scan covers a baseline image, so the next marker must end the file.
        private readonly string? EntropyData()
        {
            for (var i = _at; i < _data.Length - 1; i++)
            {
                if (_data[i] != 0xFF) continue;
                var next = _data[i + 1];
                if (next == 0xD9) return i + 2 == _data.Length ? null : "the JPEG has bytes after its end";
                if (next is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7))) return "the JPEG has a second scan or a broken marker, which are not decoded";
            }
            return "the JPEG is truncated (no end-of-image marker)";
        }
    }
}
