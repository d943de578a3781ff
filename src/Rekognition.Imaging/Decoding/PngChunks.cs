using System.Buffers.Binary;
using System.IO.Hashing;
using Rekognition.Core.Model;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// Walks a PNG's chunks and checks each one's length and CRC up to IEND, for decoders that read a damaged stream
/// leniently (ImageSharp fills the rows a short IDAT lacks instead of failing, where libpng refuses).
/// </summary>
internal static class PngChunks
{
    /// <exception cref="InvalidImageFormatException">A chunk runs past the end, a CRC does not match, or there is no IEND.</exception>
    public static void CheckIntegrity(ReadOnlySpan<byte> png)
    {
        var at = 8; // the signature, checked by the header probe
        while (at + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > (uint)(png.Length - at - 12))
            {
                throw Damaged("a chunk runs past the end of the file");
            }

            var typeAndData = png.Slice(at + 4, 4 + (int)length);
            if (Crc(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + (int)length)..]))
            {
                throw Damaged("a chunk's checksum does not match its content");
            }

            if (typeAndData[..4].SequenceEqual("IEND"u8))
            {
                return;
            }

            at += 12 + (int)length;
        }

        throw Damaged("it has no end chunk");
    }

    private static InvalidImageFormatException Damaged(string why) => new($"The image cannot be decoded: it is a damaged PNG ({why}).");

    // PNG's chunk CRC is the ISO 3309 CRC-32 that System.IO.Hashing computes with SIMD.
    private static uint Crc(ReadOnlySpan<byte> bytes) => Crc32.HashToUInt32(bytes);
}
