using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace FeedbackLoop;

/// <summary>
/// Striped PNG pictures: banners have horizontal stripes, posters vertical ones. <paramref name="contrast"/>
/// (0..127) is how far the stripes stand out from grey; faint stripes are harder to tell apart.
/// </summary>
internal static class Pictures
{
    public static byte[] Png(int width, int height, string label, int contrast, int period)
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
                var row = new byte[1 + width * 3];
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var along = label == "banner" ? y : x;
                        Array.Fill(row, (byte)(128 + ((along / period) % 2 == 0 ? contrast : -contrast)), 1 + x * 3, 3);
                    }

                    zlib.Write(row);
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
