using System.Buffers.Binary;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Builds JPEG marker structures in memory (SOI, APPn, SOFn, SOS, EOI) declaring any size; the scan data is a token.</summary>
public static class JpegBuilder
{
    /// <param name="width">Width declared in the frame header.</param>
    /// <param name="height">Height declared in the frame header.</param>
    /// <param name="appPaddingBytes">Size of an extra APP1 (EXIF-like) segment before the frame header; segments are split at 65,533 bytes.</param>
    /// <param name="frameMarker">0xC0 baseline, 0xC2 progressive.</param>
    public static byte[] Header(int width, int height, int appPaddingBytes = 0, byte frameMarker = 0xC0)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        WriteSegment(jpeg, 0xE0, "JFIF\0\u0001\u0001\0\0\u0001\0\u0001\0\0"u8);
        while (appPaddingBytes > 0)
        {
            var chunk = Math.Min(appPaddingBytes, 65_533);
            WriteSegment(jpeg, 0xE1, new byte[chunk]);
            appPaddingBytes -= chunk;
        }

        var sof = new byte[15];
        sof[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(1), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(3), (ushort)width);
        sof[5] = 3;
        for (var c = 0; c < 3; c++)
        {
            sof[6 + c * 3] = (byte)(c + 1);
            sof[7 + c * 3] = 0x11;
            sof[8 + c * 3] = 0;
        }

        WriteSegment(jpeg, frameMarker, sof);
        WriteSegment(jpeg, 0xDA, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
        jpeg.Write([0x12, 0x34, 0xFF, 0x00, 0x56]);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    private static void WriteSegment(Stream stream, byte marker, ReadOnlySpan<byte> payload)
    {
        Span<byte> head = stackalloc byte[4];
        head[0] = 0xFF;
        head[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)(payload.Length + 2));
        stream.Write(head);
        stream.Write(payload);
    }
}
