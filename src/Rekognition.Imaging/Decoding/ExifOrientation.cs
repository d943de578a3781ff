using System.Buffers.Binary;
using Rekognition.Core.Images;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// Reads the EXIF Orientation tag (0x0112) from a JPEG's APP1 Exif segment or a PNG's eXIf chunk, from the
/// header bytes only, allocating nothing. Every offset is bounds-checked: damaged metadata reads as
/// <see cref="Orientation.TopLeft"/>, never as an error.
/// </summary>
internal static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;
    private const ushort ShortType = 3;

    /// <summary>The orientation of an image of <paramref name="format"/>; TopLeft when it has none.</summary>
    public static Orientation Read(ReadOnlySpan<byte> encoded, ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ReadJpeg(encoded),
        ImageFormat.Png => ReadPng(encoded),
        _ => Orientation.TopLeft,
    };

    private static Orientation ReadJpeg(ReadOnlySpan<byte> data)
    {
        var at = 2;
        while (at + 4 <= data.Length)
        {
            if (data[at] != 0xFF)
            {
                return Orientation.TopLeft;
            }

            var marker = data[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            // Start of scan or end of image: the metadata segments are all before it.
            if (marker is 0xDA or 0xD9)
            {
                return Orientation.TopLeft;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                at += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            if (length < 2 || at + 2 + length > data.Length)
            {
                return Orientation.TopLeft;
            }

            var payload = data.Slice(at + 4, length - 2);
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
            {
                return ReadTiff(payload[6..]);
            }

            at += 2 + length;
        }

        return Orientation.TopLeft;
    }

    private static Orientation ReadPng(ReadOnlySpan<byte> data)
    {
        var at = 8;
        while (at + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
            var type = data.Slice(at + 4, 4);
            if (length > int.MaxValue - 12 || at + 12L + length > data.Length || type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8))
            {
                return Orientation.TopLeft;
            }

            if (type.SequenceEqual("eXIf"u8))
            {
                return ReadTiff(data.Slice(at + 8, (int)length));
            }

            at += 12 + (int)length;
        }

        return Orientation.TopLeft;
    }

    /// <summary>Finds the Orientation entry in IFD0 of a TIFF structure (the body of an Exif block).</summary>
    private static Orientation ReadTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return Orientation.TopLeft;
        }

        bool little;
        if (tiff.StartsWith("II"u8))
        {
            little = true;
        }
        else if (tiff.StartsWith("MM"u8))
        {
            little = false;
        }
        else
        {
            return Orientation.TopLeft;
        }

        var ifd = ReadUInt32(tiff[4..], little);
        if (ifd > (uint)tiff.Length - 2)
        {
            return Orientation.TopLeft;
        }

        var count = ReadUInt16(tiff[(int)ifd..], little);
        for (var i = 0; i < count; i++)
        {
            var entry = (long)ifd + 2 + 12L * i;
            if (entry + 12 > tiff.Length)
            {
                return Orientation.TopLeft;
            }

            var fields = tiff.Slice((int)entry, 12);
            if (ReadUInt16(fields, little) != OrientationTag)
            {
                continue;
            }

            // A SHORT with count 1 sits in the first two bytes of the value field.
            if (ReadUInt16(fields[2..], little) != ShortType)
            {
                return Orientation.TopLeft;
            }

            var value = ReadUInt16(fields[8..], little);
            return value is >= 1 and <= 8 ? (Orientation)value : Orientation.TopLeft;
        }

        return Orientation.TopLeft;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16BigEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data);
}
