using System.Buffers.Binary;
using System.IO.Compression;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Builds PNG files in memory: real RGB images, or headers declaring any size with a token payload.</summary>
public static class PngBuilder
{
    /// <summary>A complete, decodable RGB PNG of the given size (one grey level).</summary>
    public static byte[] Rgb(int width, int height, byte grey = 128)
    {
        var raw = new byte[(1 + width * 3) * height];
        for (var y = 0; y < height; y++)
        {
            raw.AsSpan(y * (1 + width * 3) + 1, width * 3).Fill(grey);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return Assemble(width, height, compressed.ToArray());
    }

    /// <summary>A PNG whose header declares <paramref name="width"/>×<paramref name="height"/> but holds almost no data (a decompression bomb's shape).</summary>
    public static byte[] DeclaringSize(int width, int height) => Assemble(width, height, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);

    private static byte[] Assemble(int width, int height, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, idat);
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);
        var typeAndData = new byte[4 + data.Length];
        type.CopyTo(typeAndData);
        data.CopyTo(typeAndData.AsSpan(4));
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, System.IO.Hashing.Crc32.HashToUInt32(typeAndData));
        stream.Write(number);
    }
}
