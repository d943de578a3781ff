using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace QuickStart;

/// <summary>
/// Makes the QuickStart's dataset: small PNG photos of one shape each (circle, square or triangle) in a
/// random colour, size and place on a noisy background, so the sample needs no download.
/// </summary>
internal static class SyntheticShapes
{
    public static readonly string[] Labels = { "circle", "square", "triangle" };

    /// <summary>Draws image <paramref name="index"/> of <paramref name="label"/> as a 96x96 RGB PNG.</summary>
    public static byte[] Draw(string label, int index, int size = 96)
    {
        var random = new Random(HashCode.Combine(label.Length, label[0], index));
        var pixels = new byte[size * size * 3];
        random.NextBytes(pixels);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(96 + pixels[i] / 4); // grey-ish noise background
        }

        var color = new[] { (byte)random.Next(0, 256), (byte)random.Next(0, 256), (byte)random.Next(0, 96) };
        var radius = random.Next(size / 6, size / 3);
        var cx = random.Next(radius, size - radius);
        var cy = random.Next(radius, size - radius);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                int dx = x - cx, dy = y - cy;
                var inside = label switch
                {
                    "circle" => dx * dx + dy * dy <= radius * radius,
                    "square" => Math.Abs(dx) <= radius && Math.Abs(dy) <= radius,
                    _ => dy <= radius && dy >= -radius && Math.Abs(dx) <= (dy + radius) / 2,
                };
                if (inside)
                {
                    color.CopyTo(pixels.AsSpan((y * size + x) * 3, 3));
                }
            }
        }

        return EncodePng(pixels, size, size);
    }

    // A minimal PNG writer (8-bit RGB, no filtering): enough for generated pictures, no imaging dependency.
    private static byte[] EncodePng(byte[] rgb, int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WriteChunk(png, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(rgb, y * width * 3, width * 3);
                }
            }

            WriteChunk(png, "IDAT", raw.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        Span<byte> sum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, crc.GetCurrentHashAsUInt32());
        stream.Write(sum);
    }
}
