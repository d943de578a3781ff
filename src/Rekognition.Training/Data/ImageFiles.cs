using System.Buffers;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Training.Data;

/// <summary>Reads training images from disk for the batch sources.</summary>
internal static class ImageFiles
{
    /// <summary>
    /// Decodes the file at <paramref name="path"/> (scaled towards <paramref name="width"/> x <paramref name="height"/>),
    /// reading it into a pooled buffer: photos are mostly larger than the large-object threshold, and a new array per
    /// image per step would keep the collector busy.
    /// </summary>
    public static DecodedImage Decode(IImageDecoder decoder, string path, int width, int height)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var length = checked((int)file.Length);
        var encoded = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            file.ReadExactly(encoded, 0, length);
            return decoder.Decode(encoded.AsSpan(0, length), width, height);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }
}
