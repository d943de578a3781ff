using System.Buffers.Binary;
using SkiaSharp;

namespace Rekognition.Imaging.Tests;

/// <summary>Small images made in code for decoder tests, and the byte surgery to add metadata to them.</summary>
internal static class TestImages
{
    public static readonly SKColor Red = new(255, 0, 0);
    public static readonly SKColor Green = new(0, 255, 0);
    public static readonly SKColor Blue = new(0, 0, 255);
    public static readonly SKColor White = new(255, 255, 255);

    /// <summary>An image in four flat quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.</summary>
    public static byte[] Quadrants(int width, int height, SKEncodedImageFormat format, int quality = 95)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var paint = new SKPaint();
            foreach (var (color, x, y) in new[] { (Red, 0, 0), (Green, 1, 0), (Blue, 0, 1), (White, 1, 1) })
            {
                paint.Color = color;
                canvas.DrawRect(x * width / 2, y * height / 2, width / 2, height / 2, paint);
            }
        }

        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>A JPEG with an APP1 Exif segment holding only the Orientation tag inserted right after its SOI marker.</summary>
    public static byte[] WithJpegOrientation(byte[] jpeg, ushort orientation, bool littleEndian = false)
    {
        var tiff = Tiff(orientation, littleEndian);
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>A PNG with an eXIf chunk holding only the Orientation tag inserted right after its IHDR chunk.</summary>
    public static byte[] WithPngOrientation(byte[] png, ushort orientation)
    {
        var tiff = Tiff(orientation, littleEndian: false);
        var chunk = new byte[12 + tiff.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)tiff.Length);
        "eXIf"u8.CopyTo(chunk.AsSpan(4));
        tiff.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + tiff.Length), Crc32(chunk.AsSpan(4, 4 + tiff.Length)));
        const int afterIhdr = 8 + 25;
        return [.. png.AsSpan(0, afterIhdr), .. chunk, .. png.AsSpan(afterIhdr)];
    }

    /// <summary>A PNG of only a signature, an IHDR declaring <paramref name="width"/> x <paramref name="height"/> and IEND: a header-only decompression bomb.</summary>
    public static byte[] PngHeaderOnly(uint width, uint height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 6; // RGBA
        return [.. (byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], .. Chunk("IHDR"u8, ihdr), .. Chunk("IDAT"u8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), .. Chunk("IEND"u8, [])];
    }

    /// <summary>A JPEG of only SOI, a baseline frame header declaring the size, and EOI.</summary>
    public static byte[] JpegHeaderOnly(ushort width, ushort height)
    {
        byte[] sof = [0xFF, 0xC0, 0x00, 0x11, 8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(5), height);
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(7), width);
        return [0xFF, 0xD8, .. sof, 0xFF, 0xD9];
    }

    private static byte[] Chunk(ReadOnlySpan<byte> type, ReadOnlySpan<byte> body)
    {
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        type.CopyTo(chunk.AsSpan(4));
        body.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Crc32(chunk.AsSpan(4, 4 + body.Length)));
        return chunk;
    }

    /// <summary>TIFF header + IFD0 with one SHORT entry, Orientation (0x0112).</summary>
    private static byte[] Tiff(ushort orientation, bool littleEndian)
    {
        var tiff = new byte[8 + 2 + 12 + 4];
        void U16(int at, ushort v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(at), v);
            }
        }

        void U32(int at, uint v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(at), v);
            }
        }

        (littleEndian ? "II"u8 : "MM"u8).CopyTo(tiff);
        U16(2, 42);
        U32(4, 8);
        U16(8, 1);
        U16(10, 0x0112);
        U16(12, 3);
        U32(14, 1);
        U16(18, orientation);
        U32(22, 0);
        return tiff;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
